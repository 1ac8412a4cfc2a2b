#include "verifier/checks/healthcheck.h"

#include "verifier/checks/spec_view.h"
#include "verifier/core/json.h"

namespace verified {
namespace {

constexpr const char* kHealthcheckCheck = "healthcheck";

class Healthcheck : public Requirement {
 public:
  std::string Name() const override { return kHealthcheckCheck; }
  nlohmann::json Value() const override { return true; }

  Finding Check(const CheckContext& ctx) const override {
    const auto& run = ImageRunConfig(ctx.image);
    auto hc = run.find("Healthcheck");
    if (hc == run.end() || hc->is_null()) {
      return Fail(kHealthcheckCheck,
                  "the image declares no HEALTHCHECK; add one to its Dockerfile (HEALTHCHECK "
                  "CMD ...)");
    }
    const auto* test = JsonAt(*hc, {"Test"});
    if (test == nullptr || !test->is_array() || test->empty() || !(*test)[0].is_string()) {
      return Fail(kHealthcheckCheck, "the image's Healthcheck has no test command");
    }
    std::string kind = (*test)[0].get<std::string>();
    if (kind == "NONE") {
      return Fail(kHealthcheckCheck, "the image disables its healthcheck (HEALTHCHECK NONE)");
    }
    if (kind != "CMD" && kind != "CMD-SHELL") {
      return Fail(kHealthcheckCheck,
                  "the image's Healthcheck test has an unknown kind '" + kind + "'");
    }
    if (test->size() < 2)
      return Fail(kHealthcheckCheck, "the image's Healthcheck has an empty command");
    return Pass(kHealthcheckCheck, "the image declares a HEALTHCHECK (" + kind + ")");
  }
};

}  // namespace

Result<RequirementPtr> MakeHealthcheck(const nlohmann::json& value) {
  if (!value.is_boolean()) {
    return MakeError(ErrorKind::kInvalidArgument, "value must be true or false");
  }
  if (!value.get<bool>()) return RequirementPtr();
  return RequirementPtr(std::make_shared<Healthcheck>());
}

}  // namespace verified
