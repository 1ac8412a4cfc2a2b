// A read-only bbolt reader that never takes bbolt's lock and never trusts a torn read.
//
// containerd holds an exclusive flock(2) on its bbolt files for as long as it runs, and a
// shared lock would block (or, taken first, block containerd). We take no lock at all: we read
// pages with pread(2) and prove afterwards that no commit happened while we read.
//
// Why that is sound (bbolt tx.go Commit, db.go beginRWTx, freelist release): a writer commits
// transaction T+1 by writing its data pages, then fdatasync, then its meta page (page
// (T+1) % 2). T+1 only writes pages that are free in T, i.e. unreachable from T's root. Pages
// reachable from T become reusable only when T+2 begins, which is after T+1's meta page is on
// disk. So if the newest valid meta is still T's after our last page read, every page we read
// belonged to T. View() checks exactly that and retries (a bounded number of times) when a
// commit slipped in; an unchanged meta with structural garbage is reported as corruption.
// bbolt keeps no checksums on data pages: this detects concurrent commits, not disk rot.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "verifier/core/result.h"
#include "verifier/fs/dir.h"
#include "verifier/store/containerd/bbolt_format.h"

namespace verified::bbolt {

/// Bounds on the work one View may do (all reads are of untrusted files).
struct Limits {
  uint64_t max_run_bytes = 32u << 20;    ///< one page plus its overflow pages
  uint64_t max_read_bytes = 256u << 20;  ///< all pages read by one attempt
  size_t max_depth = 64;                 ///< branch levels from a bucket root to a leaf
  size_t max_entries = 1u << 20;         ///< entries visited by ForEach calls in one attempt
  int max_attempts = 8;                  ///< View retries when a commit races the read
};

/// A bucket inside a transaction: either a page id or an inline leaf page. Valid only inside
/// the View callback that produced it.
class Bucket {
 public:
  bool is_inline() const { return root_ == 0; }

 private:
  friend class Tx;
  uint64_t root_ = 0;
  std::string_view inline_page_;
};

/// One key of a bucket as ForEach sees it.
struct Entry {
  std::string_view key;
  std::string_view value;  ///< the raw value; for a bucket, its header (+ inline page)
  bool is_bucket = false;
};

/// A consistent read-only view of one bbolt file at one transaction id.
class Tx {
 public:
  /// The meta page this view reads.
  const Meta& meta() const { return meta_; }
  /// The root bucket (whose keys are the top-level buckets).
  Bucket Root() const;

  /// The nested bucket `name` of `parent`; nullopt when absent. A plain value under that key
  /// is kInconsistent (the schema expected a bucket).
  Result<std::optional<Bucket>> Child(const Bucket& parent, std::string_view name);
  /// Child() along a path of names from the root bucket.
  Result<std::optional<Bucket>> Path(std::initializer_list<std::string_view> names);
  /// The value stored under `key`; nullopt when absent. A bucket under that key is
  /// kInconsistent.
  Result<std::optional<std::string>> Get(const Bucket& bucket, std::string_view key);
  /// Calls `fn` for every key of `bucket` in key order; stops at the first error `fn` returns.
  Status ForEach(const Bucket& bucket, const std::function<Status(const Entry&)>& fn);
  /// Opens the bucket an Entry with is_bucket describes.
  Result<Bucket> OpenBucket(const Entry& entry);

 private:
  friend class Db;
  Tx(int fd, const std::string& name, uint64_t file_size, Meta meta, const Limits& limits)
      : fd_(fd), name_(name), file_size_(file_size), meta_(meta), limits_(limits) {}

  struct CachedPage {
    std::string bytes;
    Node node;
  };
  Result<const Node*> Page(uint64_t id);
  Result<const Node*> RootNode(const Bucket& b);
  Result<const Node*> ChildNode(const Node& branch, size_t index);
  Result<std::optional<Element>> Seek(const Bucket& b, std::string_view key);
  Status Walk(const Node& node, size_t depth, const std::function<Status(const Entry&)>& fn);
  Result<Bucket> DecodeBucket(std::string_view key, std::string_view value);
  Error Corrupt(Error e) const;

  int fd_;
  const std::string& name_;
  uint64_t file_size_;
  Meta meta_;
  Limits limits_;
  uint64_t bytes_read_ = 0;
  size_t entries_ = 0;
  std::map<uint64_t, std::unique_ptr<CachedPage>> pages_;
  std::map<const char*, std::unique_ptr<Node>> inline_nodes_;
};

/// An open bbolt file. Move-only; closes its fd.
class Db {
 public:
  /// Opens `rel` beneath `dir` read-only (no symlinks, regular file; see Dir::OpenFile).
  static Result<Db> Open(const Dir& dir, std::string_view rel, Limits limits = {});
  /// Takes ownership of an fd opened for reading; `name` is used in messages.
  static Db FromFd(int fd, std::string name, Limits limits = {});

  Db(Db&& other) noexcept;
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  /// Runs `fn` on a consistent view. Retries (at most Limits::max_attempts times, with a short
  /// growing pause) whenever a commit happened during the read, whatever `fn` returned; when
  /// no commit happened, returns `fn`'s result. Fails with kIntegrity when no valid meta page
  /// exists, kIo on read errors, kInconsistent when the file kept changing on every attempt.
  Status ViewStatus(const std::function<Status(Tx&)>& fn) const;

  /// ViewStatus() for a callback producing a value.
  template <typename T>
  Result<T> View(const std::function<Result<T>(Tx&)>& fn) const {
    std::optional<T> out;
    Status st = ViewStatus([&](Tx& tx) -> Status {
      out.reset();
      auto r = fn(tx);
      if (!r.ok()) return std::move(r).error();
      out.emplace(std::move(r).value());
      return Ok();
    });
    if (!st.ok()) return std::move(st).error();
    return std::move(*out);
  }

  /// The newest valid meta page right now (what the next View would read).
  Result<Meta> CurrentMeta() const;
  const std::string& name() const { return name_; }

 private:
  Db(int fd, std::string name, Limits limits) : fd_(fd), name_(std::move(name)), limits_(limits) {}
  int fd_ = -1;
  std::string name_;
  Limits limits_;
};

}  // namespace verified::bbolt
