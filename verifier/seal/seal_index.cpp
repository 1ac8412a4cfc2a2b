#include "verifier/seal/seal_index.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "verifier/core/json.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"

namespace verified {
namespace {

std::string KeyName(std::string_view prefix, const FileKey& k) {
  return std::string(prefix) + std::to_string(k.dev) + "-" + std::to_string(k.ino);
}

bool IsEntryName(std::string_view name) {
  return name.rfind("root-", 0) == 0 || name.rfind("ns-", 0) == 0;
}

// The index is only as trustworthy as its directory: anyone who can write there can delete a
// seal. Owned by the runtime's user and writable by nobody else, or refused.
Status CheckTrusted(const struct stat& st, const std::string& what) {
  if (st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
    return MakeError(ErrorKind::kPermission,
                     "{} is owned by uid {} with mode {:o}; the seal index is trusted only when "
                     "owned by uid {} and writable by nobody else",
                     what, st.st_uid, st.st_mode & 07777, geteuid());
  }
  return Ok();
}

Result<std::vector<std::string>> StringList(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) return MakeError(ErrorKind::kParse, "seal entry {} is not a list", key);
  for (const auto& t : *it) {
    if (!t.is_string())
      return MakeError(ErrorKind::kParse, "seal entry {} holds a non-string", key);
    out.push_back(t.get<std::string>());
  }
  return out;
}

Result<int64_t> Integer(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return int64_t{0};
  if (!it->is_number_integer()) {
    return MakeError(ErrorKind::kParse, "seal entry {} is not an integer", key);
  }
  return it->get<int64_t>();
}

}  // namespace

SealEntry SealEntryFor(const SealRecord& r, const std::string& runc_root) {
  SealEntry e;
  e.container_id = r.container_id;
  e.runc_root = runc_root;
  e.image = r.image;
  e.image_id = r.image_id;
  e.rule = r.rule;
  e.mode = r.mode;
  e.namespaces = r.namespaces;
  e.written_at = static_cast<int64_t>(time(nullptr));
  return e;
}

FileKey FileKeyOf(const struct stat& st) {
  return FileKey{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
}

std::string RootEntryName(const FileKey& k) { return KeyName("root-", k); }

Result<std::string> RootEntryNameFor(const std::string& root_path) {
  struct stat st;
  if (root_path.empty() || stat(root_path.c_str(), &st) != 0) {
    return MakeError(ErrorKind::kNotFound, "cannot stat the container's root '{}'", root_path);
  }
  return RootEntryName(FileKeyOf(st));
}

std::string NsEntryName(const FileKey& k) { return KeyName("ns-", k); }

std::string FormatSealEntry(const SealEntry& e) {
  nlohmann::ordered_json j;
  j["version"] = 1;
  j["container_id"] = e.container_id;
  j["runc_root"] = e.runc_root;
  j["image"] = e.image;
  j["image_id"] = e.image_id;
  j["rule"] = e.rule;
  j["mode"] = e.mode;
  j["namespaces"] = e.namespaces;
  j["ns_type"] = e.ns_type;
  j["init_pid"] = e.init_pid;
  j["written_at"] = e.written_at;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Result<SealEntry> ParseSealEntry(std::string_view text) {
  if (text.size() > kMaxSealEntryBytes) {
    return MakeError(ErrorKind::kTooLarge, "seal entry exceeds {} bytes", kMaxSealEntryBytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(text, "seal entry", 4));
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "seal entry is not a JSON object");
  SealEntry e;
  VERIFIED_ASSIGN_OR_RETURN(e.container_id, OptionalString(j, "container_id", "seal entry"));
  VERIFIED_ASSIGN_OR_RETURN(e.runc_root, OptionalString(j, "runc_root", "seal entry"));
  VERIFIED_ASSIGN_OR_RETURN(e.image, OptionalString(j, "image", "seal entry"));
  VERIFIED_ASSIGN_OR_RETURN(e.image_id, OptionalString(j, "image_id", "seal entry"));
  VERIFIED_ASSIGN_OR_RETURN(e.rule, OptionalString(j, "rule", "seal entry"));
  VERIFIED_ASSIGN_OR_RETURN(e.mode, OptionalString(j, "mode", "seal entry"));
  VERIFIED_ASSIGN_OR_RETURN(e.ns_type, OptionalString(j, "ns_type", "seal entry"));
  VERIFIED_ASSIGN_OR_RETURN(e.namespaces, StringList(j, "namespaces"));
  VERIFIED_ASSIGN_OR_RETURN(e.init_pid, Integer(j, "init_pid"));
  VERIFIED_ASSIGN_OR_RETURN(e.written_at, Integer(j, "written_at"));
  if (e.container_id.empty() || e.runc_root.empty()) {
    return MakeError(ErrorKind::kParse, "seal entry lacks container_id or runc_root");
  }
  if (e.mode != "enforce" && e.mode != "audit") {
    return MakeError(ErrorKind::kParse, "seal entry mode '{}' is not enforce or audit", e.mode);
  }
  return e;
}

Status WriteSealEntry(const std::string& dir, const std::string& name, const SealEntry& e) {
  if (!IsEntryName(name) || name.find('/') != std::string::npos) {
    return MakeError(ErrorKind::kInvalidArgument, "'{}' is not a seal entry name", name);
  }
  VERIFIED_RETURN_IF_ERROR(MakeDirs(dir, 0700));
  struct stat st;
  if (lstat(dir.c_str(), &st) != 0) return SysError(errno, "stat seal index " + dir);
  if (!S_ISDIR(st.st_mode)) {
    return MakeError(ErrorKind::kPermission, "seal index {} is not a directory", dir);
  }
  VERIFIED_RETURN_IF_ERROR(CheckTrusted(st, "seal index " + dir));
  return WriteFileAtomic(dir + "/" + name, FormatSealEntry(e), 0600);
}

Result<std::optional<SealEntry>> ReadSealEntry(const std::string& dir, const std::string& name) {
  if (!IsEntryName(name)) return std::optional<SealEntry>();
  auto d = Dir::Open(dir);
  if (!d.ok()) {
    if (d.error().kind() == ErrorKind::kNotFound) return std::optional<SealEntry>();
    return std::move(d).error();
  }
  struct stat st;
  if (fstat(d->fd(), &st) != 0) return SysError(errno, "stat seal index " + dir);
  VERIFIED_RETURN_IF_ERROR(CheckTrusted(st, "seal index " + dir));
  // One open: absent is the common answer, so no separate existence check.
  int fd = openat(d->fd(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<SealEntry>();
    return SysError(errno, "open seal entry " + dir + "/" + name);
  }
  Status trusted = Ok();
  if (fstat(fd, &st) != 0) {
    trusted = SysError(errno, "stat seal entry " + dir + "/" + name);
  } else if (!S_ISREG(st.st_mode)) {
    trusted =
        MakeError(ErrorKind::kPermission, "seal entry {}/{} is not a regular file", dir, name);
  } else {
    trusted = CheckTrusted(st, "seal entry " + dir + "/" + name);
  }
  if (!trusted.ok()) {
    close(fd);
    return trusted.error();
  }
  auto text = ReadFdLimited(fd, kMaxSealEntryBytes, "seal entry");
  close(fd);
  if (!text.ok()) return std::move(text).error();
  auto e = ParseSealEntry(*text);
  if (!e.ok()) return Wrap(std::move(e).error(), "{}/{}", dir, name);
  return std::optional<SealEntry>(std::move(e).value());
}

Status RemoveSealEntry(const std::string& dir, const std::string& name) {
  if (!IsEntryName(name) || name.find('/') != std::string::npos) return Ok();
  std::string path = dir + "/" + name;
  if (unlink(path.c_str()) != 0 && errno != ENOENT) return SysError(errno, "remove " + path);
  return Ok();
}

std::vector<std::string> ListSealEntries(const std::string& dir, size_t max_entries) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return names;
  while (struct dirent* e = readdir(d)) {
    if (names.size() >= max_entries) break;
    if (IsEntryName(e->d_name)) names.emplace_back(e->d_name);
  }
  closedir(d);
  return names;
}

}  // namespace verified
