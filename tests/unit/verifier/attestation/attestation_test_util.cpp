#include "unit/verifier/attestation/attestation_test_util.h"

#include <ctime>

#include "verifier/core/base64.h"
#include "verifier/image/digest.h"
#include "verifier/signature/dsse.h"
#include "verifier/signature/sigstore_bundle.h"

namespace verified::testing {

nlohmann::json VulnPredicate(const std::string& finished,
                             const std::vector<std::pair<std::string, std::string>>& vulns) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [id, sev] : vulns) {
    list.push_back({{"VulnerabilityID", id},
                    {"PkgName", "openssl"},
                    {"InstalledVersion", "3.0.1"},
                    {"Severity", sev}});
  }
  nlohmann::json report = {{"SchemaVersion", 2},
                           {"ArtifactName", "registry.example/app:1"},
                           {"ArtifactType", "container_image"},
                           {"Results",
                            {{{"Target", "app (alpine 3.19.1)"},
                              {"Class", "os-pkgs"},
                              {"Type", "alpine"},
                              {"Vulnerabilities", list}}}}};
  return {
      {"invocation", {{"parameters", nullptr}, {"uri", ""}, {"event_id", ""}, {"builder.id", ""}}},
      {"scanner",
       {{"uri", "pkg:github/aquasecurity/trivy@0.58.1"},
        {"version", "0.58.1"},
        {"db", {{"uri", ""}, {"version", ""}}},
        {"result", report}}},
      {"metadata", {{"scanStartedOn", finished}, {"scanFinishedOn", finished}}}};
}

nlohmann::json SpdxDocument() {
  return {
      {"spdxVersion", "SPDX-2.3"},
      {"dataLicense", "CC0-1.0"},
      {"SPDXID", "SPDXRef-DOCUMENT"},
      {"name", "registry.example/app"},
      {"documentNamespace", "https://anchore.com/syft/image/app-1"},
      {"creationInfo", {{"created", "2026-12-01T10:00:00Z"}, {"creators", {"Tool: syft-1.18.1"}}}},
      {"packages",
       {{{"name", "openssl"},
         {"SPDXID", "SPDXRef-Package-apk-openssl"},
         {"versionInfo", "3.0.1"},
         {"downloadLocation", "NONE"}}}}};
}

nlohmann::json CycloneDxBom() {
  return {{"bomFormat", "CycloneDX"},
          {"specVersion", "1.5"},
          {"version", 1},
          {"metadata", {{"component", {{"type", "container"}, {"name", "registry.example/app"}}}}},
          {"components", {{{"type", "library"}, {"name", "openssl"}, {"version", "3.0.1"}}}}};
}

nlohmann::json SlsaProvenance(const std::string& builder, const std::string& git_uri,
                              const std::string& commit) {
  return {{"buildDefinition",
           {{"buildType", "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1"},
            {"externalParameters",
             {{"workflow", {{"ref", "refs/heads/main"}, {"repository", git_uri}}}}},
            {"internalParameters", {{"github", {{"event_name", "push"}}}}},
            {"resolvedDependencies", {{{"uri", git_uri}, {"digest", {{"gitCommit", commit}}}}}}}},
          {"runDetails",
           {{"builder", {{"id", builder}}},
            {"metadata",
             {{"invocationId", "https://github.com/acme/app/actions/runs/1/attempts/1"}}}}}};
}

std::string StatementFor(const std::string& digest, const std::string& predicate_type,
                         const nlohmann::json& predicate) {
  nlohmann::json st = {{"_type", "https://in-toto.io/Statement/v0.1"},
                       {"predicateType", predicate_type},
                       {"subject",
                        {{{"name", "registry.example/app"},
                          {"digest", {{"sha256", std::string(DigestHex(digest))}}}}}},
                       {"predicate", predicate}};
  return st.dump();
}

std::string AttestationBundle(const TestSigner& signer, const std::string& statement) {
  std::string type(signature::kInTotoPayloadType);
  std::string sig = signer.Sign(signature::DssePae(type, statement), "SHA256");
  nlohmann::json b = {{"mediaType", signature::kBundleMediaTypeV03},
                      {"verificationMaterial", {{"publicKey", {{"hint", "test"}}}}},
                      {"dsseEnvelope",
                       {{"payload", Base64Encode(statement)},
                        {"payloadType", type},
                        {"signatures", {{{"sig", Base64Encode(sig)}, {"keyid", ""}}}}}}};
  return b.dump();
}

std::string DaysAgo(int days) {
  std::time_t t = std::time(nullptr) - static_cast<std::time_t>(days) * 86400;
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

}  // namespace verified::testing
