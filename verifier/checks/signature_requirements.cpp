#include "verifier/checks/signature_requirements.h"

#include <algorithm>
#include <optional>

#include "verifier/checks/signed_by.h"
#include "verifier/signature/key_dir.h"

namespace verified {
namespace {

constexpr const char* kSignatures = "signatures";
constexpr const char* kSignedIdentity = "signed_identity";

// signatures and signed_identity on their own: parsed so that `policy lint` and the catalog
// know them, combined into signed_by before use. One left standing (a caller that did not
// combine) refuses: it cannot mean anything without the keys.
class Qualifier : public Requirement {
 public:
  Qualifier(const char* name, nlohmann::json value) : name_(name), value_(std::move(value)) {}
  std::string Name() const override { return name_; }
  nlohmann::json Value() const override { return value_; }
  Finding Check(const CheckContext&) const override {
    return Fail(name_,
                fmt::format("{} qualifies signed_by, which this rule does not require", name_));
  }

 private:
  const char* name_;
  nlohmann::json value_;
};

Result<std::vector<std::string>> KeyNames(const nlohmann::json& value) {
  std::vector<std::string> names;
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    size_t start = 0;
    while (start <= s.size()) {
      size_t comma = std::min(s.find(',', start), s.size());
      names.push_back(s.substr(start, comma - start));
      start = comma + 1;
    }
  } else if (value.is_array()) {
    for (const auto& v : value) {
      if (!v.is_string()) return MakeError(ErrorKind::kInvalidArgument, "key names are strings");
      names.push_back(v.get<std::string>());
    }
  } else {
    return MakeError(ErrorKind::kInvalidArgument,
                     "takes key names: [\"ci\", \"release\"] or \"ci,release\"");
  }
  if (names.empty()) return MakeError(ErrorKind::kInvalidArgument, "names no key");
  if (names.size() > kMaxSignedByKeys) {
    return MakeError(ErrorKind::kInvalidArgument, "names more than {} keys", kMaxSignedByKeys);
  }
  for (size_t i = 0; i < names.size(); ++i) {
    VERIFIED_RETURN_IF_ERROR(signature::CheckKeyName(names[i]));
    if (std::find(names.begin(), names.begin() + i, names[i]) != names.begin() + i) {
      return MakeError(ErrorKind::kInvalidArgument, "names key {} twice", names[i]);
    }
  }
  return names;
}

}  // namespace

const char* SignedIdentityName(SignedIdentity identity) {
  return identity == SignedIdentity::kDigest ? "digest" : "repository";
}

Result<RequirementPtr> MakeSignedBy(const nlohmann::json& value) {
  SignatureRule rule;
  VERIFIED_ASSIGN_OR_RETURN(rule.keys, KeyNames(value));
  return MakeSignedByCheck(std::move(rule));
}

Result<RequirementPtr> MakeSignatures(const nlohmann::json& value) {
  if (!value.is_number_integer() || value.get<int64_t>() < 1 ||
      value.get<int64_t>() > static_cast<int64_t>(kMaxSignedByKeys)) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "takes the number of distinct keys that must have signed, 1 to {}",
                     kMaxSignedByKeys);
  }
  return RequirementPtr(std::make_shared<Qualifier>(kSignatures, value));
}

Result<RequirementPtr> MakeSignedIdentity(const nlohmann::json& value) {
  if (value != "repository" && value != "digest") {
    return MakeError(ErrorKind::kInvalidArgument, "takes \"repository\" or \"digest\"");
  }
  return RequirementPtr(std::make_shared<Qualifier>(kSignedIdentity, value));
}

Result<std::vector<RequirementPtr>> CombineSignatureRequirements(std::vector<RequirementPtr> reqs) {
  const SignatureRule* base = nullptr;
  std::optional<nlohmann::json> count, identity;
  for (const auto& r : reqs) {
    if (const SignatureRule* rule = SignatureRuleOf(*r)) base = rule;
    if (r->Name() == kSignatures) count = r->Value();
    if (r->Name() == kSignedIdentity) identity = r->Value();
  }
  if (base == nullptr) {
    if (!count && !identity) return reqs;
    return MakeError(ErrorKind::kInvalidArgument, "requirement '{}' needs signed_by with it",
                     count ? kSignatures : kSignedIdentity);
  }
  SignatureRule rule = *base;
  if (count) rule.count = count->get<size_t>();
  if (identity && *identity == "digest") rule.identity = SignedIdentity::kDigest;
  if (rule.count > rule.keys.size()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "requirement 'signatures' asks for {} signatures by distinct keys but "
                     "signed_by lists {} key(s)",
                     rule.count, rule.keys.size());
  }
  std::vector<RequirementPtr> out;
  for (auto& r : reqs) {
    if (SignatureRuleOf(*r) != nullptr) {
      out.push_back(MakeSignedByCheck(rule));
    } else if (r->Name() != kSignatures && r->Name() != kSignedIdentity) {
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::vector<std::string> SignedByKeys(const Requirement& req) {
  const SignatureRule* rule = SignatureRuleOf(req);
  return rule != nullptr ? rule->keys : std::vector<std::string>();
}

}  // namespace verified
