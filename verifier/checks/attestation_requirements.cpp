#include "verifier/checks/attestation_requirements.h"

#include <algorithm>

#include "verifier/checks/attested.h"
#include "verifier/checks/signature_requirements.h"

namespace verified {
namespace {

constexpr const char* kVulnerabilities = "vulnerabilities";
constexpr const char* kScanMaxAgeDays = "scan_max_age_days";
constexpr const char* kSbom = "sbom";
constexpr const char* kBuilder = "provenance_builder";
constexpr const char* kSource = "provenance_source";
constexpr const char* kAttestedBy = "attested_by";
constexpr size_t kMaxCount = 1000000;

// One attestation requirement before combination: parsed (so lint and the catalog know it),
// evaluated only once combined. Left standing, it refuses.
class Part : public Requirement {
 public:
  Part(const char* name, nlohmann::json value) : name_(name), value_(std::move(value)) {}
  std::string Name() const override { return name_; }
  nlohmann::json Value() const override { return value_; }
  Finding Check(const CheckContext&) const override {
    return Fail(name_, fmt::format("{} was not combined with the rule's keys", name_));
  }

 private:
  const char* name_;
  nlohmann::json value_;
};

RequirementPtr MakePart(const char* name, const nlohmann::json& value) {
  return std::make_shared<Part>(name, value);
}

Status SetLimit(AttestationRule& rule, std::string_view sev, const nlohmann::json& n) {
  VERIFIED_ASSIGN_OR_RETURN(attestation::Severity s, attestation::ParseSeverity(sev));
  auto& slot = rule.max_vulns[static_cast<size_t>(s)];
  if (slot) return MakeError(ErrorKind::kInvalidArgument, "lists {} twice", sev);
  // 0 written in JSON parses as a signed integer: accept any integer in range.
  if (!n.is_number_integer() || n.get<int64_t>() < 0 ||
      n.get<int64_t>() > static_cast<int64_t>(kMaxCount)) {
    return MakeError(ErrorKind::kInvalidArgument, "{}: want a count 0..{}", sev, kMaxCount);
  }
  slot = n.get<size_t>();
  return Ok();
}

Status ParseLimits(const nlohmann::json& value, AttestationRule& rule) {
  if (value.is_object() && !value.empty()) {
    for (const auto& [sev, n] : value.items()) VERIFIED_RETURN_IF_ERROR(SetLimit(rule, sev, n));
    return Ok();
  }
  if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "takes severity limits: \"critical:0,high:5\" or {{\"critical\":0}}");
  }
  const std::string& s = value.get_ref<const std::string&>();
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = std::min(s.find(',', start), s.size());
    std::string item = s.substr(start, comma - start);
    size_t colon = item.find(':');
    std::string count = colon == std::string::npos ? "" : item.substr(colon + 1);
    if (colon == std::string::npos || count.empty() || count.size() > 7 ||
        !std::all_of(count.begin(), count.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return MakeError(ErrorKind::kInvalidArgument, "'{}' is not SEVERITY:COUNT",
                       item.substr(0, 40));
    }
    VERIFIED_RETURN_IF_ERROR(
        SetLimit(rule, item.substr(0, colon), nlohmann::json(std::stoull(count))));
    start = comma + 1;
  }
  return Ok();
}

Result<RequirementPtr> MakePattern(const char* name, const nlohmann::json& value) {
  if (!value.is_string() || value.get_ref<const std::string&>().empty() ||
      value.get_ref<const std::string&>().size() > 1024) {
    return MakeError(ErrorKind::kInvalidArgument, "takes a glob pattern (1 to 1024 bytes)");
  }
  return MakePart(name, value);
}

const Requirement* Find(const std::vector<RequirementPtr>& reqs, const char* name) {
  for (const auto& r : reqs) {
    if (r->Name() == name && dynamic_cast<const Part*>(r.get()) != nullptr) return r.get();
  }
  return nullptr;
}

}  // namespace

Result<RequirementPtr> MakeVulnerabilities(const nlohmann::json& value) {
  AttestationRule rule;
  VERIFIED_RETURN_IF_ERROR(ParseLimits(value, rule));
  return MakePart(kVulnerabilities, value);
}

Result<RequirementPtr> MakeScanMaxAgeDays(const nlohmann::json& value) {
  if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > 36500) {
    return MakeError(ErrorKind::kInvalidArgument, "takes a whole number of days, 1 to 36500");
  }
  return MakePart(kScanMaxAgeDays, value);
}

Result<RequirementPtr> MakeSbom(const nlohmann::json& value) {
  if (value != true) return MakeError(ErrorKind::kInvalidArgument, "takes true");
  return MakePart(kSbom, value);
}

Result<RequirementPtr> MakeProvenanceBuilder(const nlohmann::json& value) {
  return MakePattern(kBuilder, value);
}

Result<RequirementPtr> MakeProvenanceSource(const nlohmann::json& value) {
  return MakePattern(kSource, value);
}

Result<RequirementPtr> MakeAttestedBy(const nlohmann::json& value) {
  // Same key-name rules as signed_by: parsed by it, kept as a part.
  VERIFIED_RETURN_IF_ERROR(MakeSignedBy(value));
  return MakePart(kAttestedBy, value);
}

Result<std::vector<RequirementPtr>> CombineAttestationRequirements(
    std::vector<RequirementPtr> reqs) {
  AttestationRule rule;
  bool any = false;
  if (const Requirement* v = Find(reqs, kVulnerabilities)) {
    VERIFIED_RETURN_IF_ERROR(ParseLimits(v->Value(), rule));
    rule.vulns = any = true;
  }
  if (const Requirement* a = Find(reqs, kScanMaxAgeDays)) {
    rule.scan_max_age_days = a->Value().get<int64_t>();
    any = true;
  }
  if (Find(reqs, kSbom)) rule.sbom = any = true;
  if (const Requirement* b = Find(reqs, kBuilder)) {
    rule.builder_pattern = b->Value().get<std::string>();
    any = true;
  }
  if (const Requirement* s = Find(reqs, kSource)) {
    rule.source_pattern = s->Value().get<std::string>();
    any = true;
  }
  const Requirement* by = Find(reqs, kAttestedBy);
  if (!any) {
    if (by == nullptr) return reqs;
    return MakeError(ErrorKind::kInvalidArgument,
                     "requirement 'attested_by' needs vulnerabilities, scan_max_age_days, sbom, "
                     "provenance_builder or provenance_source with it");
  }
  std::vector<RequirementPtr> out;
  for (auto& r : reqs) {
    if (dynamic_cast<const Part*>(r.get()) == nullptr) {
      if (rule.keys.empty()) rule.keys = SignedByKeys(*r);
      out.push_back(std::move(r));
    }
  }
  rule.keys_from_signed_by = by == nullptr;
  if (by != nullptr) {
    VERIFIED_ASSIGN_OR_RETURN(RequirementPtr signed_by, MakeSignedBy(by->Value()));
    rule.keys = SignedByKeys(*signed_by);
  }
  if (rule.keys.empty()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "attestation requirements need attested_by=KEY[,KEY] or signed_by (whose "
                     "keys they then use)");
  }
  out.push_back(MakeAttestedCheck(std::move(rule)));
  return out;
}

std::vector<std::string> AttestedByKeys(const Requirement& req) {
  const AttestationRule* rule = AttestationRuleOf(req);
  return rule != nullptr ? rule->keys : std::vector<std::string>();
}

}  // namespace verified
