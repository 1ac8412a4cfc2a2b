// The audit itself: each found container gets the runtime's own decision
// (verifier/decision/decide.h, Decide on an ExistingContainer): its image proven through the
// same store resolvers, and the verdict the runtime would give it now.
//
// For a running container the OCI spec is read from its bundle and the rootfs mount is
// cross-checked against the mount table, exactly as at create, so spec requirements
// (non_root, protect_host, ...) are evaluated too. A container whose image cannot be proven is
// non-compliant, with the resolver's reason: the runtime would refuse to start it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ctl/container_enumerator.h"
#include "ctl/image_list.h"
#include "verifier/policy/evaluate.h"
#include "verifier/policy/policy.h"
#include "verifier/signedpolicy/signed_policy.h"
#include "verifier/store/resolved_image.h"

namespace verified::ctl {

/// What decides compliance.
enum class AuditMode {
  kPolicy,     ///< the host policy, as the runtime applies it
  kWhitelist,  ///< seed 001: an image is good when the list names it
  kBlacklist,  ///< seed 001: an image is bad when the list names it
};

/// Text for a mode ("policy", "whitelist", "blacklist").
const char* AuditModeName(AuditMode m);

/// Inputs of an audit.
struct AuditSettings {
  AuditMode mode = AuditMode::kPolicy;
  const Policy* policy = nullptr;  ///< kPolicy
  /// kPolicy: the signed-policy check of `policy` (null: each decision makes it).
  const signedpolicy::SignedPolicyCheck* signed_policy = nullptr;
  std::string state_dir;            ///< the signed policy's mark ("" = kDefaultStateDir)
  const ImageList* list = nullptr;  ///< kWhitelist / kBlacklist
  std::string config_dir;           ///< registrations (and protect_host's config dir)
  std::string seal_dir;             ///< the host-wide seal index ("" = kDefaultSealDir)
  bool layers = false;              ///< fill AuditRow::layers
  int workers = 4;                  ///< parallel resolutions
  std::string mountinfo_path = "/proc/self/mountinfo";
};

/// One layer for --layers.
struct AuditLayer {
  std::string diff_id;
  std::string chain_id;
  int64_t size = -1;  ///< bytes, -1 when the store does not record it
};

/// One container's result.
struct AuditRow {
  FoundContainer container;
  std::optional<ResolvedImage> image;  ///< set when the image was proven
  bool have_spec = false;              ///< the OCI spec was read (spec rules evaluated)
  Verdict verdict;
  bool compliant = false;
  std::vector<AuditLayer> layers;
  std::vector<std::string> notes;  ///< the enumerator's notes plus what the audit skipped
};

/// Audits every container, `settings.workers` at a time; rows keep the input order.
std::vector<AuditRow> AuditContainers(const std::vector<FoundContainer>& containers,
                                      const AuditSettings& settings);

/// The reasons shown for a row: the failing findings (or the deciding reason), one each.
std::vector<std::string> AuditReasons(const Verdict& v);

}  // namespace verified::ctl
