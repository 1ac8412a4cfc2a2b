#include "verifier/signedpolicy/statement_cache.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>
#include <vector>

#include "verifier/config/state_dir.h"
#include "verifier/core/json.h"
#include "verifier/crypto/sha256.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/image/digest.h"
#include "verifier/signedpolicy/signed_policy.h"

namespace verified::signedpolicy {
namespace {

constexpr std::string_view kMagic = "verified policy statement cache v1\n";
constexpr std::string_view kImages = "images/";
constexpr size_t kHexBytes = 64;
constexpr size_t kCheckBytes = 16;

bool UnderImages(std::string_view path) { return path.substr(0, kImages.size()) == kImages; }

nlohmann::json StampJson(const FileStamp& s) {
  return nlohmann::json::array({s.dev, s.ino, s.size, s.mtime_ns, s.ctime_ns});
}

Result<FileStamp> StampFrom(const nlohmann::json& j) {
  if (!j.is_array() || j.size() != 5 || !j[0].is_number_unsigned() || !j[1].is_number_unsigned()) {
    return MakeError(ErrorKind::kParse, "policy statement cache: bad file stamp");
  }
  for (size_t i = 2; i < 5; ++i) {
    if (!j[i].is_number_integer()) {
      return MakeError(ErrorKind::kParse, "policy statement cache: bad file stamp");
    }
  }
  return FileStamp{j[0].get<uint64_t>(), j[1].get<uint64_t>(), j[2].get<int64_t>(),
                   j[3].get<int64_t>(), j[4].get<int64_t>()};
}

bool IsStatementDigest(const nlohmann::json& j) {
  return j.is_string() && j.get_ref<const std::string&>().size() == 7 + kHexBytes &&
         j.get_ref<const std::string&>().rfind("sha256:", 0) == 0 &&
         IsHex64(std::string_view(j.get_ref<const std::string&>()).substr(7));
}

Result<StatementCacheHeader> HeaderFrom(std::string_view line) {
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(line, "policy statement cache"));
  static const char* const kMembers[] = {
      "statement_file", "signature_file", "statement",     "signature", "key",          "version",
      "signed_at",      "expires",        "grace_seconds", "files",     "registrations"};
  auto bad = [] { return MakeError(ErrorKind::kParse, "policy statement cache: bad header"); };
  if (!j.is_object() || j.size() != std::size(kMembers)) return bad();
  for (const char* m : kMembers) {
    if (!j.contains(m)) return bad();
  }
  StatementCacheHeader h;
  VERIFIED_ASSIGN_OR_RETURN(h.statement_file, StampFrom(j["statement_file"]));
  VERIFIED_ASSIGN_OR_RETURN(h.signature_file, StampFrom(j["signature_file"]));
  for (const char* m : {"statement", "signature", "key"}) {
    if (!IsStatementDigest(j[m])) return bad();
  }
  for (const char* m : {"version", "signed_at", "expires", "grace_seconds"}) {
    if (!j[m].is_number_integer()) return bad();
  }
  if (!j["files"].is_object() || !j["registrations"].is_number_unsigned()) return bad();
  h.statement = j["statement"].get<std::string>();
  h.signature = j["signature"].get<std::string>();
  h.key = j["key"].get<std::string>();
  h.version = j["version"].get<int64_t>();
  h.signed_at = j["signed_at"].get<int64_t>();
  h.expires = j["expires"].get<int64_t>();
  h.grace_seconds = j["grace_seconds"].get<int64_t>();
  h.registrations = j["registrations"].get<uint64_t>();
  for (const auto& [path, digest] : j["files"].items()) {
    if (UnderImages(path) || !IsCoveredPath(path) || !IsStatementDigest(digest)) return bad();
    h.files.emplace(path, digest.get<std::string>());
  }
  if (!h.files.count("policy.json") || h.registrations > kMaxStatementFiles) return bad();
  return h;
}

std::string RecordCheck(std::string_view first) { return Sha256Hex(first).substr(0, kCheckBytes); }

// Built with append: GCC 12 at -O3 misreads `" " + std::string&&` as an unbounded memcpy.
std::string Record(const std::string& path, const std::string& digest) {
  std::string r = Sha256Hex(path);
  r.push_back(' ');
  r.append(digest, 7, std::string::npos);
  std::string check = RecordCheck(r);
  r.push_back(' ');
  r.append(check);
  r.push_back('\n');
  return r;
}

Result<std::string> ReadAt(int fd, uint64_t offset, size_t n) {
  std::string buf(n, '\0');
  ssize_t got = pread(fd, buf.data(), n, static_cast<off_t>(offset));
  if (got < 0) return SysError(errno, "read policy statement cache");
  buf.resize(static_cast<size_t>(got));
  return buf;
}

}  // namespace

FileStamp StampOf(const struct stat& st) {
  return FileStamp{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                   static_cast<int64_t>(st.st_size),
                   static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
                   static_cast<int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec};
}

Result<FileStamp> StampTrustedFile(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return SysError(errno, "lstat " + path);
  VERIFIED_RETURN_IF_ERROR(CheckTrustedStat(st, path));
  if (!S_ISREG(st.st_mode)) {
    return MakeError(ErrorKind::kUnsafePath, "{} is not a regular file", path);
  }
  return StampOf(st);
}

Result<std::string> ReadTrustedFileStamped(const std::string& path, size_t limit,
                                           std::optional<FileStamp>& stamp) {
  auto before = StampTrustedFile(path);
  VERIFIED_ASSIGN_OR_RETURN(std::string bytes, ReadTrustedFile(path, limit));
  auto after = StampTrustedFile(path);
  if (before.ok() && after.ok() && *before == *after) stamp = *after;
  return bytes;
}

bool IsRacy(const FileStamp& stamp) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  int64_t now_ns = static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
  return stamp.ctime_ns > now_ns - kRacyNs;
}

std::string StatementCachePath(const std::string& state_dir) {
  return state_dir + "/" + kStatementCacheFileName;
}

Status WriteStatementCache(const std::string& state_dir, const std::string& config_dir,
                           const StatementCacheHeader& id, const PolicyStatement& s,
                           DeferredWrites* defer) {
  nlohmann::json files = nlohmann::json::object();
  std::vector<std::string> records;
  for (const auto& [path, digest] : s.files) {
    if (UnderImages(path)) {
      records.push_back(Record(path, digest));
    } else {
      files[path] = digest;
    }
  }
  std::sort(records.begin(), records.end());
  nlohmann::json h = {{"statement_file", StampJson(id.statement_file)},
                      {"signature_file", StampJson(id.signature_file)},
                      {"statement", id.statement},
                      {"signature", id.signature},
                      {"key", id.key},
                      {"version", s.version},
                      {"signed_at", s.signed_at},
                      {"expires", s.expires},
                      {"grace_seconds", s.grace_seconds},
                      {"files", files},
                      {"registrations", records.size()}};
  std::string line = h.dump();
  if (line.size() > kMaxStatementCacheHeaderBytes) {
    return MakeError(ErrorKind::kTooLarge, "policy statement cache header of {} bytes",
                     line.size());
  }
  std::string text(kMagic);
  text.reserve(text.size() + line.size() + 80 + records.size() * kStatementCacheRecordBytes);
  text += line + "\nsha256:" + Sha256Hex(line) + "\n";
  for (const auto& r : records) text += r;
  if (defer != nullptr) return WritePrivateOrDefer(defer, StatementCachePath(state_dir), text);
  VERIFIED_RETURN_IF_ERROR(EnsureStateDir(state_dir, config_dir));
  return WriteFileAtomic(StatementCachePath(state_dir), text, 0600);
}

std::optional<StatementCacheRecord> ParseStatementCacheRecord(std::string_view r) {
  if (r.size() != kStatementCacheRecordBytes || r[kHexBytes] != ' ' ||
      r[2 * kHexBytes + 1] != ' ' || r.back() != '\n') {
    return std::nullopt;
  }
  std::string_view key = r.substr(0, kHexBytes), digest = r.substr(kHexBytes + 1, kHexBytes);
  std::string_view check = r.substr(2 * kHexBytes + 2, kCheckBytes);
  if (!IsHex64(key) || !IsHex64(digest) || RecordCheck(r.substr(0, 2 * kHexBytes + 1)) != check) {
    return std::nullopt;
  }
  return StatementCacheRecord{std::string(key), "sha256:" + std::string(digest)};
}

Result<std::pair<StatementCacheHeader, uint64_t>> ParseStatementCacheHead(std::string_view text,
                                                                          uint64_t file_size) {
  auto malformed = [] { return MakeError(ErrorKind::kParse, "policy statement cache: malformed"); };
  if (text.substr(0, kMagic.size()) != kMagic) return malformed();
  size_t line_end = text.find('\n', kMagic.size());
  if (line_end == std::string_view::npos) return malformed();
  std::string_view line = text.substr(kMagic.size(), line_end - kMagic.size());
  size_t digest_end = text.find('\n', line_end + 1);
  if (digest_end == std::string_view::npos ||
      text.substr(line_end + 1, digest_end - line_end - 1) != "sha256:" + Sha256Hex(line)) {
    return malformed();
  }
  VERIFIED_ASSIGN_OR_RETURN(StatementCacheHeader header, HeaderFrom(line));
  uint64_t records_at = digest_end + 1;
  if (file_size != records_at + header.registrations * kStatementCacheRecordBytes) {
    return malformed();
  }
  return std::make_pair(std::move(header), records_at);
}

Result<std::shared_ptr<StatementCache>> StatementCache::Open(const std::string& state_dir,
                                                             const std::string& config_dir) {
  std::string path = StatementCachePath(state_dir);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return SysError(errno, "open " + path);
  auto close_fd = [fd](Error e) -> Error {
    close(fd);
    return e;
  };
  struct stat st;
  if (fstat(fd, &st) != 0) return close_fd(SysError(errno, "fstat " + path));
  if (Status ok = CheckTrustedStat(st, path); !ok.ok()) return close_fd(std::move(ok).error());
  // The header only: the records are read one at a time by Find. A first read of 8 KiB holds
  // a header with dozens of keys; a longer one is read again in full, up to its limit.
  size_t limit = std::min<size_t>(static_cast<size_t>(st.st_size),
                                  kMagic.size() + kMaxStatementCacheHeaderBytes + 80);
  auto head = ReadAt(fd, 0, std::min<size_t>(limit, 8192));
  if (head.ok() && head->size() < limit && std::count(head->begin(), head->end(), '\n') < 3) {
    head = ReadAt(fd, 0, limit);
  }
  if (!head.ok()) return close_fd(std::move(head).error());
  auto parsed = ParseStatementCacheHead(*head, static_cast<uint64_t>(st.st_size));
  if (!S_ISREG(st.st_mode) || !parsed.ok()) {
    return close_fd(MakeError(ErrorKind::kParse, "{} is malformed", path));
  }
  auto [header, records_at] = std::move(parsed).value();
  return std::shared_ptr<StatementCache>(
      new StatementCache(fd, std::move(header), records_at, config_dir));
}

StatementCache::~StatementCache() { close(fd_); }

PolicyStatement StatementCache::Statement() const {
  PolicyStatement s;
  s.version = header_.version;
  s.signed_at = header_.signed_at;
  s.expires = header_.expires;
  s.grace_seconds = header_.grace_seconds;
  s.key = header_.key;
  s.files = header_.files;
  return s;
}

Result<std::optional<std::string>> StatementCache::Find(const std::string& path) const {
  if (fallback_) return FromStatement(path);
  if (!UnderImages(path)) {
    auto it = header_.files.find(path);
    if (it == header_.files.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  auto found = Search(path);
  if (found.ok()) return found;
  return FromStatement(path);  // a damaged record: a miss, answered from the verified bytes
}

// Lower bound of sha256(path) over the sorted records, every record read checked; then the
// records on both sides of the bound are read and checked too. A single damaged record either
// is read by the search or sits right at the bound (the others being in order, the bound
// lands next to where it belongs), so a lost or altered entry is never taken for "not listed".
Result<std::optional<std::string>> StatementCache::Search(const std::string& path) const {
  const std::string key = Sha256Hex(path);
  auto read = [&](uint64_t i) -> Result<StatementCacheRecord> {
    VERIFIED_ASSIGN_OR_RETURN(
        std::string r,
        ReadAt(fd_, records_at_ + i * kStatementCacheRecordBytes, kStatementCacheRecordBytes));
    auto parsed = ParseStatementCacheRecord(r);
    if (!parsed) return MakeError(ErrorKind::kIntegrity, "policy statement cache record {}", i);
    return std::move(*parsed);
  };
  uint64_t lo = 0, hi = header_.registrations;
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    VERIFIED_ASSIGN_OR_RETURN(StatementCacheRecord r, read(mid));
    if (r.key < key) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo > 0) {
    VERIFIED_ASSIGN_OR_RETURN(StatementCacheRecord before, read(lo - 1));
    if (!(before.key < key)) return MakeError(ErrorKind::kIntegrity, "records out of order");
  }
  if (lo == header_.registrations) return std::optional<std::string>();
  VERIFIED_ASSIGN_OR_RETURN(StatementCacheRecord at, read(lo));
  if (at.key < key) return MakeError(ErrorKind::kIntegrity, "records out of order");
  if (at.key != key) return std::optional<std::string>();
  return std::optional<std::string>(std::move(at.digest));
}

Result<std::optional<std::string>> StatementCache::FromStatement(const std::string& path) const {
  if (!fallback_) {
    VERIFIED_ASSIGN_OR_RETURN(std::string bytes,
                              ReadTrustedFile(StatementPath(config_dir_), kMaxStatementBytes));
    if (Sha256Digest(bytes) != header_.statement) {
      return MakeError(ErrorKind::kIntegrity,
                       "signed policy: the policy statement cache in the state dir is damaged "
                       "and {} changed since it was verified; retry the create",
                       StatementPath(config_dir_));
    }
    VERIFIED_ASSIGN_OR_RETURN(PolicyStatement s, ParseStatement(bytes));
    fallback_ = std::move(s.files);
  }
  auto it = fallback_->find(path);
  if (it == fallback_->end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

}  // namespace verified::signedpolicy
