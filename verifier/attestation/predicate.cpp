#include "verifier/attestation/predicate.h"

#include <array>

namespace verified::attestation {
namespace {

struct KindEntry {
  PredicateKind kind;
  const char* name;
  std::string_view type;
};

constexpr std::array<KindEntry, 4> kKinds = {{
    {PredicateKind::kVuln, "vuln", kVulnPredicateType},
    {PredicateKind::kSpdx, "spdx", kSpdxPredicateType},
    {PredicateKind::kCycloneDx, "cyclonedx", kCycloneDxPredicateType},
    {PredicateKind::kSlsa, "slsa", kSlsaProvenanceV1},
}};

}  // namespace

PredicateKind KindOf(std::string_view predicate_type) {
  for (const auto& k : kKinds) {
    if (k.type == predicate_type) return k.kind;
  }
  return PredicateKind::kOther;
}

const char* KindName(PredicateKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "other";
}

std::string_view PredicateTypeOf(PredicateKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k.type;
  }
  return "";
}

Result<PredicateKind> ParseKindName(std::string_view name) {
  for (const auto& k : kKinds) {
    if (k.name == name) return k.kind;
  }
  return MakeError(ErrorKind::kInvalidArgument,
                   "unknown attestation type '{}' (vuln, spdx, cyclonedx, slsa)",
                   std::string(name.substr(0, 40)));
}

Result<Predicate> ParsePredicate(std::string_view predicate_type, const nlohmann::json& predicate) {
  Predicate out;
  out.kind = KindOf(predicate_type);
  out.type = std::string(predicate_type);
  switch (out.kind) {
    case PredicateKind::kVuln: {
      VERIFIED_ASSIGN_OR_WRAP(out.vuln, ParseVulnPredicate(predicate), "{}", predicate_type);
      break;
    }
    case PredicateKind::kSpdx: {
      VERIFIED_ASSIGN_OR_WRAP(out.sbom, ParseSpdx(predicate), "{}", predicate_type);
      break;
    }
    case PredicateKind::kCycloneDx: {
      VERIFIED_ASSIGN_OR_WRAP(out.sbom, ParseCycloneDx(predicate), "{}", predicate_type);
      break;
    }
    case PredicateKind::kSlsa: {
      VERIFIED_ASSIGN_OR_WRAP(out.provenance, ParseSlsaProvenance(predicate), "{}", predicate_type);
      break;
    }
    case PredicateKind::kOther:
      break;
  }
  return out;
}

std::string DescribePredicate(const Predicate& p) {
  switch (p.kind) {
    case PredicateKind::kVuln:
      return DescribeVulnScan(p.vuln);
    case PredicateKind::kSpdx:
    case PredicateKind::kCycloneDx:
      return DescribeSbom(p.sbom);
    case PredicateKind::kSlsa:
      return DescribeProvenance(p.provenance);
    case PredicateKind::kOther:
      break;
  }
  return "a predicate no requirement reads";
}

}  // namespace verified::attestation
