#include "verifier/checks/read_only_rootfs.h"

#include "verifier/checks/spec_view.h"

namespace verified {
namespace {

constexpr const char* kReadOnlyRootfsCheck = "read_only_rootfs";

class ReadOnlyRootfs : public Requirement {
 public:
  std::string Name() const override { return kReadOnlyRootfsCheck; }
  nlohmann::json Value() const override { return true; }

  Finding Check(const CheckContext& ctx) const override {
    if (ctx.spec == nullptr) return NeedsSpec(kReadOnlyRootfsCheck, "root.readonly must be true");
    if (!ctx.spec->root_readonly) {
      return Fail(kReadOnlyRootfsCheck,
                  "the root filesystem is writable: run with --read-only (and a tmpfs for the "
                  "paths the process writes)",
                  "root.readonly true", "false");
    }
    return Pass(kReadOnlyRootfsCheck, "the root filesystem is read-only");
  }
};

}  // namespace

Result<RequirementPtr> MakeReadOnlyRootfs(const nlohmann::json& value) {
  if (!value.is_boolean()) {
    return MakeError(ErrorKind::kInvalidArgument, "value must be true or false");
  }
  if (!value.get<bool>()) return RequirementPtr();
  return RequirementPtr(std::make_shared<ReadOnlyRootfs>());
}

}  // namespace verified
