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

Status CheckTrustedPath(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return SysError(errno, path);
  if (S_ISLNK(st.st_mode)) {
    return MakeError(ErrorKind::kPermission, "{} is a symlink; make it a regular file", path);
  }
  if (st.st_uid != 0 && st.st_uid != geteuid()) {
    return MakeError(ErrorKind::kPermission, "{} is owned by uid {}; fix with: chown root {}", path,
                     st.st_uid, path);
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    return MakeError(ErrorKind::kPermission, "{} is writable by {}; fix with: chmod go-w {}", path,
                     (st.st_mode & S_IWOTH) ? "everyone" : "its group", path);
  }
  return Ok();
}

Result<Policy> LoadPolicy(const std::string& config_dir) {
  std::string path = PolicyPath(config_dir);
  struct stat st;
  if (stat(path.c_str(), &st) != 0 && errno == ENOENT) {
    return MakeError(ErrorKind::kNotFound,
                     "policy {} is missing; create one with: verifiedctl --config-dir {} policy "
                     "default deny",
                     path, config_dir);
  }
  VERIFIED_RETURN_IF_ERROR(CheckTrustedPath(config_dir));
  VERIFIED_RETURN_IF_ERROR(CheckTrustedPath(path));
  VERIFIED_ASSIGN_OR_RETURN(std::string text, ReadFileLimited(path, kMaxPolicyBytes));
  auto policy = ParsePolicy(text);
  if (!policy.ok()) return Wrap(std::move(policy).error(), "policy {}", path);
  return policy;
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
  auto text = ReadFileLimited(path, 64 * 1024);
  if (!text.ok()) {
    if (text.error().kind() == ErrorKind::kNotFound) return RuntimeSettings{};
    return std::move(text).error();
  }
  VERIFIED_RETURN_IF_ERROR(CheckTrustedPath(path));
  auto s = ParseRuntimeSettings(*text);
  if (!s.ok()) return Wrap(std::move(s).error(), "{}", path);
  return s;
}

}  // namespace verified
