#include "verifier/checks/protect_host.h"

#include <map>
#include <mutex>

#include "verifier/checks/host_exposure.h"
#include "verifier/checks/spec_view.h"

namespace verified {
namespace {

constexpr const char* kProtectHostCheck = "protect_host";
constexpr size_t kMaxAllowed = 256;

const std::vector<std::string>& DefaultAllowReadOnly() {
  static const std::vector<std::string> k = {"/etc/localtime", "/etc/timezone"};
  return k;
}

class ProtectHost : public Requirement {
 public:
  explicit ProtectHost(std::vector<std::string> extra) : extra_(std::move(extra)) {}
  std::string Name() const override { return kProtectHostCheck; }
  nlohmann::json Value() const override {
    if (extra_.empty()) return true;
    return {{"allow_read_only", extra_}};
  }

  Finding Check(const CheckContext& ctx) const override {
    if (ctx.spec == nullptr) {
      return NeedsSpec(kProtectHostCheck,
                       "no bind mount of /, /etc, an engine data root, the config dir, "
                       "/run/containerd or an engine socket; no host devices; not privileged; "
                       "no CAP_SYS_ADMIN; not in the host PID namespace");
    }
    auto found = FindHostExposures(*ctx.spec, Protection(ctx));
    if (!found.ok()) return Fail(kProtectHostCheck, found.error().What());
    if (found->empty()) {
      return Pass(kProtectHostCheck, "no host path, device, privilege or PID namespace is exposed");
    }
    std::string msg;
    for (const auto& f : *found) msg += (msg.empty() ? "" : "; ") + f;
    return Fail(kProtectHostCheck, "the container would control the host: " + msg);
  }

 private:
  // Resolving the ~25 protected paths costs a realpath and a stat each. The runtime decides
  // once per process, but an audit checks hundreds of containers against the same data root
  // and config dir: build the set once per pair (the paths are the host's, not the
  // container's, so they do not change during one run).
  const HostProtection& Protection(const CheckContext& ctx) const {
    std::string key = ctx.image.store_root + '\0' + ctx.registrations.config_dir();
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it == cache_.end()) {
      std::vector<std::string> allow = DefaultAllowReadOnly();
      allow.insert(allow.end(), extra_.begin(), extra_.end());
      it = cache_
               .emplace(key, BuildHostProtection(ctx.image.store_root,
                                                 ctx.registrations.config_dir(), allow))
               .first;
    }
    return it->second;  // std::map nodes are stable: safe to use after unlocking
  }

  std::vector<std::string> extra_;
  mutable std::mutex mu_;
  mutable std::map<std::string, HostProtection> cache_;
};

}  // namespace

Result<RequirementPtr> MakeProtectHost(const nlohmann::json& value) {
  std::vector<std::string> extra;
  if (value.is_boolean()) {
    if (!value.get<bool>()) return RequirementPtr();
  } else if (value.is_object()) {
    for (const auto& [k, v] : value.items()) {
      if (k != "allow_read_only") {
        return MakeError(ErrorKind::kInvalidArgument, "unknown key '{}' (allowed: allow_read_only)",
                         k);
      }
      if (!v.is_array() || v.size() > kMaxAllowed) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "allow_read_only must be a list of at most {} absolute paths",
                         kMaxAllowed);
      }
      for (const auto& p : v) {
        if (!p.is_string() || p.get<std::string>().empty() || p.get<std::string>()[0] != '/' ||
            p.get<std::string>().size() > 4096 || NormalisePath(p.get<std::string>()) == "/") {
          return MakeError(ErrorKind::kInvalidArgument,
                           "allow_read_only entries are absolute paths other than /");
        }
        extra.push_back(NormalisePath(p.get<std::string>()));
      }
    }
  } else {
    return MakeError(ErrorKind::kInvalidArgument,
                     "value must be true or {{\"allow_read_only\": [\"/abs/path\", ...]}}");
  }
  return RequirementPtr(std::make_shared<ProtectHost>(std::move(extra)));
}

}  // namespace verified
