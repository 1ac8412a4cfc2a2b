// SLSA build provenance v1 (predicateType kSlsaProvenanceV1, https://slsa.dev/spec/v1.0/
// provenance), what GitHub's and GitLab's SLSA generators and BuildKit
// (`--attest type=provenance,version=v1`) write:
//
//   {"buildDefinition":{"buildType":"https://..","externalParameters":{..},
//                       "internalParameters":{..},
//                       "resolvedDependencies":[{"uri":"git+https://github.com/acme/app@refs/heads/main",
//                                                "digest":{"gitCommit":"<40 hex>"}}]},
//    "runDetails":{"builder":{"id":"https://github.com/actions/runner/github-hosted"},
//                  "metadata":{"invocationId":"..","startedOn":"..","finishedOn":".."},
//                  "byproducts":[..]}}
//
// Members are checked strictly against the v1 schema (unknown ones refused). The source is the
// first resolved dependency whose digest has gitCommit or sha1: its uri without the "git+"
// scheme prefix and without the "@<ref>" suffix is the repository, the digest its commit.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"

namespace verified::attestation {

/// The SLSA provenance v1 predicate type.
inline constexpr std::string_view kSlsaProvenanceV1 = "https://slsa.dev/provenance/v1";
/// Most resolved dependencies (and byproducts, builder dependencies) one provenance may list.
inline constexpr size_t kMaxSlsaDependencies = 10000;

/// One resolved dependency.
struct SlsaDependency {
  std::string uri;     ///< "" when absent
  std::string commit;  ///< digest.gitCommit, else digest.sha1 ("" when neither)
};

/// What a provenance says.
struct Provenance {
  std::string builder_id;  ///< runDetails.builder.id
  std::string build_type;  ///< buildDefinition.buildType
  std::vector<SlsaDependency> dependencies;
  std::string source_repository;  ///< "" when no dependency is a git commit
  std::string source_ref;         ///< the uri's "@<ref>" ("" when none)
  std::string source_commit;
};

/// Parses a v1 provenance. kParse naming the member for a missing buildType,
/// externalParameters or builder.id, an unknown member, a wrong type, a resource descriptor
/// with none of uri/digest/content, a gitCommit or sha1 that is not 40 or 64 lowercase hex;
/// kTooLarge beyond kMaxSlsaDependencies.
Result<Provenance> ParseSlsaProvenance(const nlohmann::json& predicate);

/// "built by <id> from <repo>@<commit>".
std::string DescribeProvenance(const Provenance& p);

}  // namespace verified::attestation
