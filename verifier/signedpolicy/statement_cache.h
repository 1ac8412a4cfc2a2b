// The verified, parsed signed-policy statement, cached in <state-dir>/policy-statement so that
// a create decision neither reads nor parses policy.sig.json (3.35 MB at 10,000 registered
// images) and looks up only the covered files it reads.
//
// The file (root-owned, mode 0600, written atomically by the deciding paths only after the
// statement's signature verified and every check passed):
//
//   verified policy statement cache v1\n
//   {"statement_file":[dev,ino,size,mtime_ns,ctime_ns],"signature_file":[...],
//    "statement":"sha256:..","signature":"sha256:..","key":"sha256:..","version":N,
//    "signed_at":N,"expires":N,"grace_seconds":N,"files":{<every covered path outside
//    images/>: "sha256:.."},"registrations":N}\n
//   sha256:<hex of the line above>\n
//   N records, sorted:  <hex sha256(path)> <hex of the file's sha256> <16 hex check>\n
//
// one record per covered path under images/, fixed width, so a lookup is a binary search of
// about log2(N) reads of 147 bytes. The check of a record is the first 16 hex digits of the
// SHA-256 of its first 129 bytes: a record that was damaged is found when read.
//
// What a hit is worth, and why the key is the two files' stat identity rather than their
// bytes, is explained in signed_policy.cpp (CachedStatementCheck).
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "verifier//core/result.h"
#include "verifier/fs/deferred_writes.h"
#include "verifier/registry/signed_file_lookup.h"
#include "verifier/signedpolicy/policy_statement.h"

namespace verified::signedpolicy {

/// The file's name in the state dir.
inline constexpr const char* kStatementCacheFileName = "policy-statement";
/// Largest header line read (keys/ and policy-keys/ entries; about 100 bytes each).
inline constexpr size_t kMaxStatementCacheHeaderBytes = 1u << 20;
/// A statement or signature file changed less than this long ago is not cached by identity
/// (IsRacy): a later write in the same clock tick would keep its ctime.
inline constexpr int64_t kRacyNs = 100'000'000;
/// Bytes per record under images/.
inline constexpr size_t kStatementCacheRecordBytes = 64 + 1 + 64 + 1 + 16 + 1;

/// The identity of a file as stat(2) gives it. ctime is set by the kernel on every change of
/// the inode (content, mode, owner, utimensat): no unprivileged call can set it back.
struct FileStamp {
  uint64_t dev = 0;
  uint64_t ino = 0;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

/// The stamp of `st`.
FileStamp StampOf(const struct stat& st);

/// lstat()s `path` and applies the trust rule of policy.json (trusted_file.h); kNotFound when
/// absent, kPermission when untrusted (a symlink included), kUnsafePath when not a regular
/// file.
Result<FileStamp> StampTrustedFile(const std::string& path);

/// ReadTrustedFile(path, limit), setting `stamp` to the file's StampTrustedFile when it was the
/// same before and after the read (left alone otherwise: a concurrent write).
Result<std::string> ReadTrustedFileStamped(const std::string& path, size_t limit,
                                           std::optional<FileStamp>& stamp);

/// True when a file with this stamp may still change without its ctime changing: the kernel
/// stamps changes with a clock that may be coarse (a jiffy, up to 10 ms), so a write in the
/// same tick as the last one keeps the ctime. As git does for its index ("racy git"), such a
/// file is not cached by identity until its ctime is kRacyNs in the past.
bool IsRacy(const FileStamp& stamp);

/// What the cache says, besides the records.
struct StatementCacheHeader {
  FileStamp statement_file;  ///< policy.sig.json as it was when its bytes were verified
  FileStamp signature_file;  ///< policy.sig, likewise
  std::string statement;     ///< "sha256:<hex>" of the statement bytes
  std::string signature;     ///< "sha256:<hex>" of the decoded signature
  std::string key;           ///< "sha256:<hex>" fingerprint of the policy key that verified it
  int64_t version = 0;       ///< the statement's members, as parsed
  int64_t signed_at = 0;
  int64_t expires = 0;
  int64_t grace_seconds = 0;
  std::map<std::string, std::string> files;  ///< every covered path outside images/
  uint64_t registrations = 0;                ///< records (covered paths under images/)
};

/// <state-dir>/policy-statement.
std::string StatementCachePath(const std::string& state_dir);

/// Writes the cache of `statement` (whose members fill the header's, its files the rest) with
/// the identity in `id` (its files and registrations members are ignored): EnsureStateDir,
/// then an atomic write, mode 0600 (with `defer` set: only recorded there). kTooLarge when the
/// header would exceed its limit. A failure only means the next create reads the statement
/// again.
Status WriteStatementCache(const std::string& state_dir, const std::string& config_dir,
                           const StatementCacheHeader& id, const PolicyStatement& statement,
                           DeferredWrites* defer = nullptr);

/// Parses the head of a cache file of `file_size` bytes (its first bytes, through the digest
/// line): the header and the offset of the first record. kParse for anything but what
/// WriteStatementCache writes (magic, a header that matches its digest and parses strictly, a
/// size that is the head's plus its records').
Result<std::pair<StatementCacheHeader, uint64_t>> ParseStatementCacheHead(std::string_view head,
                                                                          uint64_t file_size);

/// One record, as read.
struct StatementCacheRecord {
  std::string key;     ///< hex SHA-256 of the covered path
  std::string digest;  ///< "sha256:<hex>" of the file's bytes
};

/// One record's kStatementCacheRecordBytes bytes; nullopt when they are not a record as written
/// (a field that is not lowercase hex, a separator, or a check that does not match).
std::optional<StatementCacheRecord> ParseStatementCacheRecord(std::string_view record);

/// An open cache: its header, and per-path lookups of the statement's file list.
class StatementCache final : public SignedFileLookup {
 public:
  /// Opens <state_dir>/policy-statement. Any error (missing, not root-owned, writable by
  /// others, a symlink, a header that does not parse or does not match its digest, a size
  /// that is not the header's plus its records) is returned: the caller treats it as a miss.
  /// `config_dir` is where the statement is read again should a record prove damaged.
  static Result<std::shared_ptr<StatementCache>> Open(const std::string& state_dir,
                                                      const std::string& config_dir);
  ~StatementCache() override;
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  const StatementCacheHeader& header() const { return header_; }

  /// The statement the header describes; its `files` holds the entries outside images/ only.
  PolicyStatement Statement() const;

  /// The digest the statement lists for `path`. Paths outside images/ come from the header;
  /// those under images/ from a binary search of the records. A record that fails its check or
  /// is out of order makes the cache a miss for the rest of the decision: the statement is
  /// read again from the config dir and used only when its bytes hash to header().statement
  /// (the verified bytes); otherwise kIntegrity (fail closed, never an allow).
  Result<std::optional<std::string>> Find(const std::string& path) const override;

 private:
  StatementCache(int fd, StatementCacheHeader header, uint64_t records_at, std::string config_dir)
      : fd_(fd),
        header_(std::move(header)),
        records_at_(records_at),
        config_dir_(std::move(config_dir)) {}
  Result<std::optional<std::string>> Search(const std::string& path) const;
  Result<std::optional<std::string>> FromStatement(const std::string& path) const;

  int fd_;
  StatementCacheHeader header_;
  uint64_t records_at_;
  std::string config_dir_;
  mutable std::optional<std::map<std::string, std::string>> fallback_;
};

}  // namespace verified::signedpolicy
