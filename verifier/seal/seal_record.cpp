#include "verifier/seal/seal_record.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>

#include "verifier/core/json.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"

namespace verified {
namespace {

constexpr std::string_view kPrefix = "verified-seal-";
constexpr std::string_view kSuffix = ".json";

std::string RecordName(const std::string& id) {
  return std::string(kPrefix) + id + std::string(kSuffix);
}

// The container id in a record file name, or "" when the name is not a record's.
std::string IdOfRecordName(std::string_view name) {
  if (name.size() <= kPrefix.size() + kSuffix.size() || name.rfind(kPrefix, 0) != 0 ||
      name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
    return "";
  }
  return std::string(name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size()));
}

bool SafeId(const std::string& id) {
  return !id.empty() && id != "." && id != ".." && id.find('/') == std::string::npos &&
         id.find('\0') == std::string::npos && id.size() <= 1024;
}

Result<std::vector<std::string>> SealStringList(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) return MakeError(ErrorKind::kParse, "seal record {} is not a list", key);
  for (const auto& t : *it) {
    if (!t.is_string())
      return MakeError(ErrorKind::kParse, "seal record {} holds a non-string", key);
    out.push_back(t.get<std::string>());
  }
  return out;
}

}  // namespace

std::string SealRecordPath(const std::string& root, const std::string& container_id) {
  return root + "/" + RecordName(container_id);
}

std::string FormatSealRecord(const SealRecord& r) {
  nlohmann::ordered_json j;
  j["version"] = 1;
  j["container_id"] = r.container_id;
  j["image"] = r.image;
  j["image_id"] = r.image_id;
  j["rule"] = r.rule;
  j["mode"] = r.mode;
  j["sealed_at"] = r.sealed_at;
  j["namespaces"] = r.namespaces;
  j["index_entries"] = r.index_entries;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Result<SealRecord> ParseSealRecord(std::string_view text) {
  if (text.size() > kMaxSealRecordBytes) {
    return MakeError(ErrorKind::kTooLarge, "seal record exceeds {} bytes", kMaxSealRecordBytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(text, "seal record", 4));
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "seal record is not a JSON object");
  SealRecord r;
  VERIFIED_ASSIGN_OR_RETURN(r.container_id, OptionalString(j, "container_id", "seal record"));
  VERIFIED_ASSIGN_OR_RETURN(r.image, OptionalString(j, "image", "seal record"));
  VERIFIED_ASSIGN_OR_RETURN(r.image_id, OptionalString(j, "image_id", "seal record"));
  VERIFIED_ASSIGN_OR_RETURN(r.rule, OptionalString(j, "rule", "seal record"));
  VERIFIED_ASSIGN_OR_RETURN(r.mode, OptionalString(j, "mode", "seal record"));
  VERIFIED_ASSIGN_OR_RETURN(r.sealed_at, OptionalString(j, "sealed_at", "seal record"));
  VERIFIED_ASSIGN_OR_RETURN(r.namespaces, SealStringList(j, "namespaces"));
  VERIFIED_ASSIGN_OR_RETURN(r.index_entries, SealStringList(j, "index_entries"));
  if (r.container_id.empty()) {
    return MakeError(ErrorKind::kParse, "seal record has no container_id");
  }
  if (r.mode != "enforce" && r.mode != "audit") {
    return MakeError(ErrorKind::kParse, "seal record mode '{}' is not enforce or audit", r.mode);
  }
  return r;
}

Status WriteSealRecord(const std::string& root, const SealRecord& r) {
  if (!SafeId(r.container_id)) {
    return MakeError(ErrorKind::kInvalidArgument, "container id '{}' cannot name a seal record",
                     r.container_id);
  }
  VERIFIED_RETURN_IF_ERROR(MakeDirs(root, 0700));
  return WriteFileAtomic(SealRecordPath(root, r.container_id), FormatSealRecord(r), 0600);
}

Status RemoveSealRecord(const std::string& root, const std::string& container_id) {
  if (!SafeId(container_id)) return Ok();
  if (unlink(SealRecordPath(root, container_id).c_str()) != 0 && errno != ENOENT) {
    return SysError(errno, "remove " + SealRecordPath(root, container_id));
  }
  return Ok();
}

Result<std::optional<SealRecord>> ReadSealRecord(const std::string& root,
                                                 const std::string& container_id) {
  if (!SafeId(container_id)) return std::optional<SealRecord>();
  auto dir = Dir::Open(root);
  if (!dir.ok()) {
    if (dir.error().kind() == ErrorKind::kNotFound) return std::optional<SealRecord>();
    return std::move(dir).error();
  }
  std::string name = RecordName(container_id);
  VERIFIED_ASSIGN_OR_RETURN(bool exists, dir->Exists(name));
  if (!exists) return std::optional<SealRecord>();
  VERIFIED_ASSIGN_OR_RETURN(int fd, dir->OpenFile(name));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int saved = errno;
    close(fd);
    return SysError(saved, "stat seal record " + SealRecordPath(root, container_id));
  }
  if (st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
    close(fd);
    return MakeError(ErrorKind::kPermission,
                     "seal record {} is owned by uid {} with mode {:o}; only a record owned by "
                     "uid {} and writable by nobody else is trusted",
                     SealRecordPath(root, container_id), st.st_uid, st.st_mode & 07777, geteuid());
  }
  auto text = ReadFdLimited(fd, kMaxSealRecordBytes, "seal record");
  close(fd);
  if (!text.ok()) return std::move(text).error();
  auto rec = ParseSealRecord(*text);
  if (!rec.ok()) return Wrap(std::move(rec).error(), "{}", SealRecordPath(root, container_id));
  if (rec->container_id != container_id) {
    return MakeError(ErrorKind::kInconsistent, "seal record {} names container '{}'",
                     SealRecordPath(root, container_id), rec->container_id);
  }
  return std::optional<SealRecord>(std::move(rec).value());
}

size_t SweepStaleSealRecords(const std::string& root, long min_age_seconds, size_t max_entries) {
  int fd = open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return 0;
  DIR* d = fdopendir(fd);
  if (d == nullptr) {
    close(fd);
    return 0;
  }
  size_t removed = 0, seen = 0;
  time_t now = time(nullptr);
  while (struct dirent* e = readdir(d)) {
    if (++seen > max_entries) break;
    std::string id = IdOfRecordName(e->d_name);
    if (id.empty() || !SafeId(id)) continue;
    struct stat rec, ctr;
    if (fstatat(fd, e->d_name, &rec, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(rec.st_mode)) continue;
    if (now - rec.st_mtime < min_age_seconds) continue;
    if (fstatat(fd, id.c_str(), &ctr, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT) continue;
    if (unlinkat(fd, e->d_name, 0) == 0) ++removed;
  }
  closedir(d);
  return removed;
}

}  // namespace verified
