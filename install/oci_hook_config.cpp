#include "install/oci_hook_config.h"

#include <nlohmann/json.hpp>

namespace verified::install {
namespace {

Status Validate(const OciHookConfig& c) {
  for (const std::string* p : {&c.hook_path, &c.config_dir, &c.seal_dir, &c.state_dir}) {
    if (p->empty() || p->front() != '/' || p->find('\n') != std::string::npos) {
      return MakeError(ErrorKind::kInvalidArgument, "'{}' must be an absolute path", *p);
    }
  }
  if (c.timeout_seconds < 1 || c.timeout_seconds > 3600) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "hook timeout {} must be between 1 and 3600 seconds", c.timeout_seconds);
  }
  // createRuntime and prestart both run after the runtime created the container and before
  // its process is started, in the runtime's namespace (runtime-spec config.md
  // "POSIX-platform Hooks"). createContainer and startContainer run inside the container's
  // mount namespace, where the config dir and the engine's storage are not visible; poststart
  // would decide after the first instruction ran.
  if (c.stage != "createRuntime" && c.stage != "prestart") {
    return MakeError(ErrorKind::kInvalidArgument,
                     "hook stage '{}' must be createRuntime or prestart", c.stage);
  }
  return Ok();
}

}  // namespace

Result<std::string> OciHookConfigText(const OciHookConfig& c) {
  VERIFIED_RETURN_IF_ERROR(Validate(c));
  nlohmann::ordered_json hook;
  hook["path"] = c.hook_path;
  // args[0] is the hook's argv[0] (runtime-spec: "args ... same semantics as IEEE Std
  // 1003.1-2008 execv's argv"). Both dirs are explicit: runtimes run hooks with the hook's own
  // env only (runc: cmd.Env = hook.Env), so VERIFIED_CONFIG_DIR / VERIFIED_SEAL_DIR of the
  // engine never reach it.
  hook["args"] = {"verified-hook", "--config-dir", c.config_dir, "--seal-dir", c.seal_dir};
  if (c.state_dir != "/var/lib/verified") {
    hook["args"].push_back("--state-dir");
    hook["args"].push_back(c.state_dir);
  }
  hook["timeout"] = c.timeout_seconds;
  nlohmann::ordered_json j;
  j["version"] = "1.0.0";
  j["hook"] = hook;
  j["when"] = {{"always", true}};
  j["stages"] = {c.stage};
  return j.dump(2) + "\n";
}

}  // namespace verified::install
