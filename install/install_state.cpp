#include "install/install_state.h"

#include <ctime>

#include "verifier/config/config_dir.h"
#include "verifier/core/json.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"

namespace verified::install {
namespace {

std::string StatePath(const std::string& config_dir) { return config_dir + "/install-state.json"; }

Result<nlohmann::ordered_json> LoadObject(const std::string& path, std::string_view what) {
  auto text = ReadFileLimited(path, 1u << 20);
  if (!text.ok()) {
    if (text.error().kind() == ErrorKind::kNotFound) return nlohmann::ordered_json::object();
    return std::move(text).error();
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::ordered_json j, ParseOrderedJson(*text, what));
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "{} is not an object", path);
  return j;
}

}  // namespace

Result<nlohmann::ordered_json> LoadInstallState(const std::string& config_dir) {
  return LoadObject(StatePath(config_dir), "install-state.json");
}

Status SaveInstallState(const std::string& config_dir, const nlohmann::ordered_json& state) {
  VERIFIED_RETURN_IF_ERROR(MakeDirs(config_dir, 0755));
  return WriteFileAtomic(StatePath(config_dir), state.dump(2) + "\n", 0644);
}

Status SetRuntimeRunc(const std::string& config_dir, const std::string& runc_path) {
  std::string path = RuntimeSettingsPath(config_dir);
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::ordered_json j, LoadObject(path, "runtime.json"));
  if (runc_path.empty()) {
    j.erase("runc");
  } else {
    j["runc"] = runc_path;
  }
  VERIFIED_RETURN_IF_ERROR(MakeDirs(config_dir, 0755));
  std::string text = j.dump(2) + "\n";
  auto parsed = ParseRuntimeSettings(text);
  if (!parsed.ok()) return std::move(parsed).error();
  return WriteFileAtomic(path, text, 0644);
}

Result<std::string> ReplaceWithBackup(const std::string& path, const std::string& content) {
  std::string backup;
  auto old = ReadFileLimited(path, 16u << 20);
  if (old.ok()) {
    std::time_t t = std::time(nullptr);
    struct tm tm;
    gmtime_r(&t, &tm);
    char stamp[32];
    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
    backup = path + ".verified-backup-" + stamp;
    VERIFIED_RETURN_IF_ERROR(WriteFileAtomic(backup, *old, 0644));
  } else if (old.error().kind() != ErrorKind::kNotFound) {
    return std::move(old).error();
  }
  auto slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    VERIFIED_RETURN_IF_ERROR(MakeDirs(path.substr(0, slash), 0755));
  }
  VERIFIED_RETURN_IF_ERROR(WriteFileAtomic(path, content, 0644));
  return backup;
}

}  // namespace verified::install
