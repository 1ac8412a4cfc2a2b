#include "verifier/checks/catalog.h"

#include <algorithm>

#include "verifier/checks/attestation_requirements.h"
#include "verifier/checks/base_image.h"
#include "verifier/checks/content.h"
#include "verifier/checks/healthcheck.h"
#include "verifier/checks/labels.h"
#include "verifier/checks/max_age_days.h"
#include "verifier/checks/no_latest.h"
#include "verifier/checks/no_privilege_escalation.h"
#include "verifier/checks/no_secrets_in_env.h"
#include "verifier/checks/no_shell.h"
#include "verifier/checks/non_root.h"
#include "verifier/checks/pod_sandbox.h"
#include "verifier/checks/protect_host.h"
#include "verifier/checks/read_only_rootfs.h"
#include "verifier/checks/registered.h"
#include "verifier/checks/registries.h"
#include "verifier/checks/sealed.h"
#include "verifier/checks/signature_requirements.h"

namespace verified {
namespace {

using Factory = Result<RequirementPtr> (*)(const nlohmann::json& value);

struct Entry {
  const char* name;
  Factory make;
};

// One line per requirement, each name once (RequirementNames() lists this table; the unit test
// rejects a repeated name). Each factory validates its own value.
const Entry kCatalog[] = {
    {"registered", &MakeRegistered},
    {"base", &MakeBaseImage},
    {"no_shell", &MakeNoShell},
    {"sealed", &MakeSealed},
    {"pod_sandbox", &MakePodSandbox},
    {"content", &MakeContent},
    {"non_root", &MakeNonRoot},
    {"no_privilege_escalation", &MakeNoPrivilegeEscalation},
    {"read_only_rootfs", &MakeReadOnlyRootfs},
    {"no_secrets_in_env", &MakeNoSecretsInEnv},
    {"healthcheck", &MakeHealthcheck},
    {"no_latest", &MakeNoLatest},
    {"max_age_days", &MakeMaxAgeDays},
    {"registries", &MakeRegistries},
    {"labels", &MakeLabels},
    {"protect_host", &MakeProtectHost},
    {"signed_by", &MakeSignedBy},
    {"signatures", &MakeSignatures},
    {"signed_identity", &MakeSignedIdentity},
    {"vulnerabilities", &MakeVulnerabilities},
    {"scan_max_age_days", &MakeScanMaxAgeDays},
    {"sbom", &MakeSbom},
    {"provenance_builder", &MakeProvenanceBuilder},
    {"provenance_source", &MakeProvenanceSource},
    {"attested_by", &MakeAttestedBy},
};

}  // namespace

Result<RequirementPtr> MakeRequirement(const std::string& name, const nlohmann::json& value) {
  for (const auto& e : kCatalog) {
    if (name == e.name) {
      auto r = e.make(value);
      if (!r.ok()) return Wrap(std::move(r).error(), "requirement '{}'", name);
      return r;
    }
  }
  std::string known;
  for (const auto& n : RequirementNames()) known += (known.empty() ? "" : ", ") + n;
  return MakeError(ErrorKind::kInvalidArgument, "unknown requirement '{}' (known: {})", name,
                   known);
}

std::vector<std::string> RequirementNames() {
  std::vector<std::string> names;
  for (const auto& e : kCatalog) names.emplace_back(e.name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace verified
