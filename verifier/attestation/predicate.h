// The predicate types attestations are read for, and one parsed predicate of any of them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "verifier/attestation/sbom_predicate.h"
#include "verifier/attestation/slsa_predicate.h"
#include "verifier/attestation/vuln_predicate.h"
#include "verifier/core/result.h"

namespace verified::attestation {

/// What an attestation is about.
enum class PredicateKind { kVuln, kSpdx, kCycloneDx, kSlsa, kOther };

/// The kind of `predicate_type` (exact match of the four types; anything else kOther).
PredicateKind KindOf(std::string_view predicate_type);

/// "vuln", "spdx", "cyclonedx", "slsa", "other" (the names `verifiedctl attest --type` takes).
const char* KindName(PredicateKind kind);

/// The predicate type of a kind ("" for kOther).
std::string_view PredicateTypeOf(PredicateKind kind);

/// Parses `name` ("vuln", "spdx", "cyclonedx", "slsa"). kInvalidArgument otherwise.
Result<PredicateKind> ParseKindName(std::string_view name);

/// One parsed predicate; the member of its kind is set.
struct Predicate {
  PredicateKind kind = PredicateKind::kOther;
  std::string type;  ///< the predicateType as written
  VulnScan vuln;
  Sbom sbom;
  Provenance provenance;

  bool IsSbom() const { return kind == PredicateKind::kSpdx || kind == PredicateKind::kCycloneDx; }
};

/// Parses `predicate` by `predicate_type`'s kind; kOther keeps only the type (nothing reads
/// it). The kind's parser's errors, wrapped with the type.
Result<Predicate> ParsePredicate(std::string_view predicate_type, const nlohmann::json& predicate);

/// One sentence saying what the predicate said.
std::string DescribePredicate(const Predicate& p);

}  // namespace verified::attestation
