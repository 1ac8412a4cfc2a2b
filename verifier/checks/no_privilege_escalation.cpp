#include "verifier/checks/no_privilege_escalation.h"

#include <cctype>

#include "verifier/checks/spec_view.h"

namespace verified {
namespace {

constexpr const char* kNoPrivilegeEscalationCheck = "no_privilege_escalation";
constexpr size_t kMaxCapabilityNames = 64;

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

class NoPrivilegeEscalation : public Requirement {
 public:
  explicit NoPrivilegeEscalation(std::set<std::string> allowed) : allowed_(std::move(allowed)) {}
  std::string Name() const override { return kNoPrivilegeEscalationCheck; }
  nlohmann::json Value() const override {
    if (allowed_.empty()) return true;
    return nlohmann::json(std::vector<std::string>(allowed_.begin(), allowed_.end()));
  }

  Finding Check(const CheckContext& ctx) const override {
    if (ctx.spec == nullptr) {
      return NeedsSpec(kNoPrivilegeEscalationCheck,
                       "noNewPrivileges set, no capability beyond the default set" + AllowedText() +
                           ", not privileged");
    }
    const Spec& spec = *ctx.spec;
    auto nnp = SpecNoNewPrivileges(spec);
    auto caps = SpecCapabilities(spec);
    auto all_devices = SpecAllowsAllDevices(spec);
    if (!nnp.ok()) return Fail(kNoPrivilegeEscalationCheck, nnp.error().What());
    if (!caps.ok()) return Fail(kNoPrivilegeEscalationCheck, caps.error().What());
    if (!all_devices.ok()) return Fail(kNoPrivilegeEscalationCheck, all_devices.error().What());
    std::vector<std::string> problems;
    if (*all_devices) {
      problems.push_back(
          "the container is privileged (every host device allowed): drop "
          "--privileged");
    }
    std::vector<std::string> added;
    for (const auto& c : *caps) {
      if (!DefaultCapabilities().count(c) && !allowed_.count(c)) added.push_back(c);
    }
    if (!added.empty()) {
      problems.push_back(
          fmt::format("capabilities added beyond the default set{}: {} (drop "
                      "the --cap-add)",
                      AllowedText(), Join(added, ", ")));
    }
    if (!*nnp) {
      problems.push_back("noNewPrivileges is not set: run with --security-opt no-new-privileges");
    }
    if (!problems.empty()) return Fail(kNoPrivilegeEscalationCheck, Join(problems, "; "));
    return Pass(kNoPrivilegeEscalationCheck,
                fmt::format("noNewPrivileges set, {} capabilities all allowed, not "
                            "privileged",
                            caps->size()));
  }

 private:
  std::string AllowedText() const {
    if (allowed_.empty()) return "";
    return " and " + Join(std::vector<std::string>(allowed_.begin(), allowed_.end()), ", ");
  }
  std::set<std::string> allowed_;
};

}  // namespace

const std::set<std::string>& DefaultCapabilities() {
  static const std::set<std::string> kDefault = {
      "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
      "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
      "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
      "CAP_KILL",    "CAP_AUDIT_WRITE"};
  return kDefault;
}

Result<RequirementPtr> MakeNoPrivilegeEscalation(const nlohmann::json& value) {
  std::set<std::string> allowed;
  if (value.is_boolean()) {
    if (!value.get<bool>()) return RequirementPtr();
  } else if (value.is_array()) {
    if (value.size() > kMaxCapabilityNames) {
      return MakeError(ErrorKind::kInvalidArgument, "at most {} capabilities", kMaxCapabilityNames);
    }
    for (const auto& v : value) {
      bool ok = v.is_string() && !v.get<std::string>().empty() && v.get<std::string>().size() < 64;
      if (ok) {
        for (char c : v.get<std::string>())
          ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
      }
      if (!ok) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "value must be true or a list of capability names like \"NET_ADMIN\"");
      }
      allowed.insert(NormaliseCapability(v.get<std::string>()));
    }
  } else {
    return MakeError(ErrorKind::kInvalidArgument,
                     "value must be true or a list of capabilities allowed beyond the default "
                     "set, like [\"NET_ADMIN\"]");
  }
  return RequirementPtr(std::make_shared<NoPrivilegeEscalation>(std::move(allowed)));
}

}  // namespace verified
