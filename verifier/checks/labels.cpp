#include "verifier/checks/labels.h"

#include "verifier/checks/spec_view.h"

namespace verified {
namespace {

constexpr const char* kLabelsCheck = "labels";
constexpr size_t kMaxLabels = 256;
constexpr size_t kMaxLabelBytes = 1024;

class Labels : public Requirement {
 public:
  explicit Labels(std::map<std::string, std::optional<std::string>> want)
      : want_(std::move(want)) {}
  std::string Name() const override { return kLabelsCheck; }
  nlohmann::json Value() const override {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : want_) j[k] = v ? nlohmann::json(*v) : nlohmann::json(true);
    return j;
  }

  Finding Check(const CheckContext& ctx) const override {
    const auto& run = ImageRunConfig(ctx.image);
    auto labels = run.find("Labels");
    bool have_labels = labels != run.end() && labels->is_object();
    if (labels != run.end() && !labels->is_null() && !have_labels) {
      return Fail(kLabelsCheck, "the image config Labels is not an object");
    }
    std::vector<std::string> missing, wrong;
    for (const auto& [name, value] : want_) {
      const nlohmann::json* got = nullptr;
      if (have_labels) {
        auto it = labels->find(name);
        if (it != labels->end()) got = &*it;
      }
      if (got == nullptr || !got->is_string()) {
        missing.push_back(name);
      } else if (value && got->get<std::string>() != *value) {
        wrong.push_back(fmt::format("{}={} (required {})", name,
                                    got->get<std::string>().substr(0, 100), *value));
      }
    }
    if (missing.empty() && wrong.empty()) {
      return Pass(kLabelsCheck,
                  fmt::format("the image carries the {} required labels", want_.size()));
    }
    std::string msg;
    if (!missing.empty()) msg = "the image lacks the label(s) " + Join(missing);
    if (!wrong.empty()) msg += (msg.empty() ? "" : "; ") + ("wrong value: " + Join(wrong));
    return Fail(kLabelsCheck, msg + "; set them with LABEL in its Dockerfile");
  }

 private:
  static std::string Join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  }
  std::map<std::string, std::optional<std::string>> want_;
};

Status CheckLabelName(const nlohmann::json& n) {
  if (!n.is_string() || n.get<std::string>().empty() ||
      n.get<std::string>().size() > kMaxLabelBytes) {
    return MakeError(ErrorKind::kInvalidArgument, "label names are non-empty strings");
  }
  return Ok();
}

}  // namespace

Result<RequirementPtr> MakeLabels(const nlohmann::json& value) {
  std::map<std::string, std::optional<std::string>> want;
  nlohmann::json v = value.is_string() ? nlohmann::json::array({value}) : value;
  if (v.is_array()) {
    for (const auto& n : v) {
      VERIFIED_RETURN_IF_ERROR(CheckLabelName(n));
      want[n.get<std::string>()] = std::nullopt;
    }
  } else if (v.is_object()) {
    for (const auto& [k, val] : v.items()) {
      VERIFIED_RETURN_IF_ERROR(CheckLabelName(k));
      if (val.is_null() || (val.is_boolean() && val.get<bool>())) {
        want[k] = std::nullopt;
      } else if (val.is_string() && val.get<std::string>().size() <= kMaxLabelBytes) {
        want[k] = val.get<std::string>();
      } else {
        return MakeError(ErrorKind::kInvalidArgument,
                         "label '{}': the required value must be a string, or true for any value",
                         k);
      }
    }
  } else {
    return MakeError(ErrorKind::kInvalidArgument,
                     "value must be a list of label names or an object of name: value");
  }
  if (want.empty() || want.size() > kMaxLabels) {
    return MakeError(ErrorKind::kInvalidArgument, "between 1 and {} labels", kMaxLabels);
  }
  return RequirementPtr(std::make_shared<Labels>(std::move(want)));
}

}  // namespace verified
