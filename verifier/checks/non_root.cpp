#include "verifier/checks/non_root.h"

#include "verifier/checks/spec_view.h"

namespace verified {
namespace {

constexpr const char* kNonRootCheck = "non_root";

class NonRoot : public Requirement {
 public:
  std::string Name() const override { return kNonRootCheck; }
  nlohmann::json Value() const override { return true; }

  Finding Check(const CheckContext& ctx) const override {
    const auto& run = ImageRunConfig(ctx.image);
    std::string user;
    if (auto it = run.find("User"); it != run.end() && !it->is_null()) {
      if (!it->is_string()) return Fail(kNonRootCheck, "image config User is not a string");
      user = it->get<std::string>();
    }
    if (ImageUserIsRoot(user)) {
      std::string what = user.empty() ? "declares no USER, so it runs as root"
                                      : "declares USER " + user + ", which is root";
      return Fail(kNonRootCheck,
                  "the image " + what + "; add a non-root USER to its Dockerfile (USER 1001)",
                  "a non-root USER", user.empty() ? "(none)" : user);
    }
    if (ctx.spec == nullptr) {
      return NeedsSpec(kNonRootCheck,
                       "the image declares USER " + user +
                           "; the process uid must not be 0 (docker run --user root)");
    }
    auto uid = SpecProcessUid(*ctx.spec);
    if (!uid.ok()) return Fail(kNonRootCheck, uid.error().What());
    if (*uid == 0) {
      return Fail(kNonRootCheck,
                  "the process runs as uid 0 (root) although the image declares USER " + user +
                      "; do not override the user with --user root / --user 0",
                  "uid != 0", "uid 0");
    }
    return Pass(kNonRootCheck,
                fmt::format("image declares USER {}; the process runs as uid {}", user, *uid));
  }
};

}  // namespace

bool ImageUserIsRoot(const std::string& user) {
  std::string uid = user.substr(0, user.find(':'));
  if (uid.empty() || uid == "root") return true;
  if (uid.find_first_not_of('0') == std::string::npos) return true;  // "0", "00"
  return false;
}

Result<RequirementPtr> MakeNonRoot(const nlohmann::json& value) {
  if (!value.is_boolean()) {
    return MakeError(ErrorKind::kInvalidArgument, "value must be true or false");
  }
  if (!value.get<bool>()) return RequirementPtr();
  return RequirementPtr(std::make_shared<NonRoot>());
}

}  // namespace verified
