#include "verifier/checks/pod_sandbox.h"

namespace verified {
namespace {

constexpr const char* kPodSandboxCheck = "pod_sandbox";

class PodSandbox : public Requirement {
 public:
  explicit PodSandbox(bool want) : want_(want) {}
  std::string Name() const override { return kPodSandboxCheck; }
  nlohmann::json Value() const override { return want_; }

  Finding Check(const CheckContext& ctx) const override {
    if (ctx.spec == nullptr) {
      return NotEvaluated(kPodSandboxCheck, "only a container can be a pod sandbox");
    }
    bool is = ctx.image.pod_sandbox;
    if (is == want_) {
      return Pass(kPodSandboxCheck,
                  is ? "the container is a Kubernetes pod sandbox (annotation and engine "
                       "record agree)"
                     : "the container is not a pod sandbox");
    }
    return Fail(kPodSandboxCheck,
                want_ ? "this rule allows the image only as a Kubernetes pod sandbox, and this "
                        "container is not one"
                      : "this rule does not allow Kubernetes pod sandboxes",
                want_ ? "pod sandbox" : "container", is ? "pod sandbox" : "container");
  }

 private:
  bool want_;
};

}  // namespace

Result<RequirementPtr> MakePodSandbox(const nlohmann::json& value) {
  if (!value.is_boolean()) {
    return MakeError(ErrorKind::kInvalidArgument, "value must be true or false");
  }
  return RequirementPtr(std::make_shared<PodSandbox>(value.get<bool>()));
}

}  // namespace verified
