#include "verifier/config/config_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include "verifier/core/json.h"
#include "verifier/fs/dir.h"

namespace verified {

std::string PolicyPath(const std::string& config_dir) { return config_dir + "/policy.json"; }
std::string RuntimeSettingsPath(const std::string& config_dir) {
  return config_dir + "/runtime.json";
}

Result<RuntimeSettings> ParseRuntimeSettings(std::string_view text) {
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(text, "runtime.json"));
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "runtime.json is not an object");
  RuntimeSettings s;
  for (const auto& [k, v] : j.items()) {
    if (k != "runc" && k != "decision_log") {
      return MakeError(ErrorKind::kParse, "runtime.json: unknown key '{}'", k);
    }
    if (!v.is_string())
      return MakeError(ErrorKind::kParse, "runtime.json: '{}' is not a string", k);
  }
  VERIFIED_ASSIGN_OR_RETURN(s.runc, OptionalString(j, "runc", "runtime.json"));
  VERIFIED_ASSIGN_OR_RETURN(std::string log, OptionalString(j, "decision_log", "runtime.json"));
  if (!log.empty()) s.decision_log = log;
  if (!s.runc.empty() && s.runc.front() != '/') {
    return MakeError(ErrorKind::kParse, "runtime.json: runc must be an absolute path");
  }
  return s;
}

Result<RuntimeSettings> LoadRuntimeSettings(const std::string& config_dir) {
  std::string path = RuntimeSettingsPath(config_dir);
  struct stat st;
  if (lstat(path.c_str(), &st) != 0 && errno == ENOENT) return RuntimeSettings{};
  // runtime.json names the binary that every container and every passthrough command runs as
  // root. One that someone else could have written, or replaced through a writable dir, is an
  // error on every path, never a silent fall-back to whatever `runc` PATH finds (on a hardened
  // host that would be the diverted binary, i.e. this one).
  VERIFIED_RETURN_IF_ERROR(CheckTrustedPath(config_dir));
  VERIFIED_ASSIGN_OR_RETURN(std::string text, ReadTrustedFile(path, kMaxRuntimeSettingsBytes));
  auto s = ParseRuntimeSettings(text);
  if (!s.ok()) return Wrap(std::move(s).error(), "{}", path);
  return s;
}

}  // namespace verified
