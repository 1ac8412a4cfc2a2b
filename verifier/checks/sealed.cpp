#include "verifier/checks/sealed.h"

#include "verifier/checks/sealed_image.h"
#include "verifier/checks/sealed_layer.h"
#include "verifier/checks/sealed_mounts.h"
#include "verifier/checks/sealed_options.h"
#include "verifier/checks/sealed_privileges.h"
#include "verifier/checks/sealed_process.h"
#include "verifier/content/image_content.h"

namespace verified {
namespace {

std::string JoinDirs(const ImageIntent& intent, size_t max) {
  std::string s;
  for (size_t i = 0; i < intent.protected_dirs.size() && i < max; ++i) {
    s += (s.empty() ? "" : ", ") + AbsPath(intent.protected_dirs[i].rel);
  }
  if (intent.protected_dirs.size() > max) {
    s += fmt::format(" and {} more", intent.protected_dirs.size() - max);
  }
  return s.empty() ? "(none)" : s;
}

// What the seal would refuse, for `verifiedctl check IMAGE` (no container spec to judge).
std::string WouldRefuse(const ImageIntent& in, const SealedOptions& o) {
  std::vector<std::string> own = in.entrypoint;
  own.insert(own.end(), in.cmd.begin(), in.cmd.end());
  std::vector<std::string> parts;
  parts.push_back("exec into its containers (docker/podman/kubectl exec, ctr task exec)");
  parts.push_back("an entrypoint other than " +
                  ShowArgs(in.entrypoint.empty() && !in.cmd.empty()
                               ? std::vector<std::string>{in.cmd.front()}
                               : in.entrypoint));
  parts.push_back(o.allow_args ? "(other arguments are allowed: allow_args)"
                               : "arguments other than " + ShowArgs(own));
  if (!o.allow_any_env) parts.push_back("environment variables the image does not set");
  parts.push_back("a working directory other than " + in.workdir);
  parts.push_back(in.user.error.empty() ? "a user other than " + in.user.Describe()
                                        : "every user (" + in.user.error + ")");
  parts.push_back("bind mounts from the host except the engine's own files" +
                  std::string(o.allow_volumes ? ", its volumes" : "") +
                  (o.allow_mounts.empty() ? "" : " and allow_mounts"));
  parts.push_back("mounts over or inside " + JoinDirs(in, 12));
  parts.push_back(
      "privileged mode, capabilities beyond the engine default, host "
      "PID/IPC/network namespaces, disabled seccomp or AppArmor");
  std::string sys;
  for (const auto& s : o.forbidden_syscalls) sys += (sys.empty() ? "" : ", ") + s;
  parts.push_back("a seccomp profile allowing " + sys);
  std::string text;
  for (const auto& p : parts) text += (text.empty() ? "" : "; ") + p;
  return "needs a container to judge; a container of this image would be refused: " + text;
}

class Sealed : public Requirement {
 public:
  explicit Sealed(SealedOptions options) : options_(std::move(options)) {}
  std::string Name() const override { return kSealedRequirement; }
  nlohmann::json Value() const override { return options_.value; }

  Finding Check(const CheckContext& ctx) const override {
    auto tree = MergedTreeOf(ctx.image);
    if (!tree.ok()) {
      return Fail(kSealedRequirement,
                  "cannot look through the image's layers: " + tree.error().What());
    }
    auto intent = ReadImageIntent(ctx.image, **tree, options_);
    if (!intent.ok()) {
      return Fail(kSealedRequirement,
                  "cannot read the image's configuration: " + intent.error().What());
    }
    if (ctx.spec == nullptr)
      return NotEvaluated(kSealedRequirement, WouldRefuse(*intent, options_));
    const nlohmann::json& spec = ctx.spec->raw;
    std::vector<std::string> v = CheckSealedProcess(spec, *intent, options_);
    const EngineFiles& engine = ctx.image.engine_files;
    for (auto& s : CheckSealedMounts(spec, *intent, **tree, engine, options_)) v.push_back(s);
    for (auto& s : CheckSealedPrivileges(spec, options_, ProbeHost())) v.push_back(s);
    if (!engine.container_layer.empty()) {
      for (auto& s : CheckContainerLayer(engine.container_layer, *intent)) v.push_back(s);
    }
    if (v.empty()) {
      return Pass(kSealedRequirement,
                  "runs the image's own entrypoint as " + intent->user.Describe() +
                      " with no host mounts or added privileges; exec into it will be refused");
    }
    std::string text;
    for (const auto& s : v) text += (text.empty() ? "" : "; ") + s;
    return Fail(kSealedRequirement, "sealed image: " + text);
  }

 private:
  SealedOptions options_;
};

}  // namespace

Result<RequirementPtr> MakeSealed(const nlohmann::json& value) {
  VERIFIED_ASSIGN_OR_RETURN(SealedOptions options, ParseSealedOptions(value));
  if (value.is_boolean() && !value.get<bool>()) return RequirementPtr();
  return RequirementPtr(std::make_shared<Sealed>(std::move(options)));
}

}  // namespace verified
