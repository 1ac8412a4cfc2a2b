#include "verifier/store/containerd/bbolt.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <thread>

namespace verified::bbolt {
namespace {

// pread until `len` bytes arrived. A short read means the file ends there: for a bbolt file
// that is a truncated or half-written file, never a valid page.
Result<std::string> ReadAt(int fd, uint64_t off, uint64_t len, const std::string& name) {
  std::string buf(len, '\0');
  uint64_t got = 0;
  while (got < len) {
    ssize_t n = pread(fd, buf.data() + got, len - got, static_cast<off_t>(off + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SysError(errno, name + ": read");
    if (n == 0) {
      return MakeError(ErrorKind::kIntegrity,
                       "{}: file ends at byte {} inside a page (truncated or being rewritten)",
                       name, off + got);
    }
    got += static_cast<uint64_t>(n);
  }
  return buf;
}

Result<uint64_t> FileSize(int fd, const std::string& name) {
  struct stat st;
  if (fstat(fd, &st) != 0) return SysError(errno, name + ": stat");
  if (!S_ISREG(st.st_mode)) return MakeError(ErrorKind::kUnsupported, "{}: not a file", name);
  return static_cast<uint64_t>(st.st_size);
}

// Finds the page size like bbolt's getPageSize: from meta page 0 when it is valid, otherwise by
// probing for meta page 1 at every power of two from 1 KiB (a torn page 0 must not make the
// file unreadable while page 1 is intact). Returns both meta pages' parse results.
struct MetaPair {
  Result<Meta> m0 = MakeError(ErrorKind::kIntegrity, "unread");
  Result<Meta> m1 = MakeError(ErrorKind::kIntegrity, "unread");
};

Result<MetaPair> ReadMetas(int fd, uint64_t size, const std::string& name) {
  constexpr uint64_t kMetaRead = kPageHeaderSize + kMetaBytes;
  if (size < kMetaRead) {
    return MakeError(ErrorKind::kIntegrity, "{}: {} bytes is too small for a bbolt file", name,
                     size);
  }
  MetaPair p;
  VERIFIED_ASSIGN_OR_RETURN(std::string page0, ReadAt(fd, 0, kMetaRead, name));
  p.m0 = ParseMeta(page0, 0);
  auto probe_m1 = [&](uint64_t at) -> Status {
    if (at + kMetaRead > size) return Ok();
    VERIFIED_ASSIGN_OR_RETURN(std::string page1, ReadAt(fd, at, kMetaRead, name));
    auto m = ParseMeta(page1, 1);
    if (m.ok() && m->page_size != at) {
      m = MakeError(ErrorKind::kIntegrity, "meta page 1 at offset {} says page size {}", at,
                    m->page_size);
    }
    p.m1 = std::move(m);
    return Ok();
  };
  if (p.m0.ok()) {
    VERIFIED_RETURN_IF_ERROR(probe_m1(p.m0->page_size));
  } else {
    for (uint64_t at = kMinPageSize; at <= kMaxPageSize && !p.m1.ok(); at <<= 1) {
      VERIFIED_RETURN_IF_ERROR(probe_m1(at));
    }
  }
  return p;
}

}  // namespace

// ---------------------------------------------------------------------------------------- Tx

Error Tx::Corrupt(Error e) const { return Wrap(std::move(e), "{}", name_); }

Bucket Tx::Root() const {
  Bucket b;
  b.root_ = meta_.root;
  return b;
}

Result<const Node*> Tx::Page(uint64_t id) {
  if (auto it = pages_.find(id); it != pages_.end()) return &it->second->node;
  const uint64_t ps = meta_.page_size;
  if (id < 2 || id >= meta_.pgid || id > file_size_ / ps) {
    return Corrupt(MakeError(ErrorKind::kIntegrity,
                             "page id {} is outside the data pages (high water mark {}, {} "
                             "pages in the file)",
                             id, meta_.pgid, file_size_ / ps));
  }
  VERIFIED_ASSIGN_OR_RETURN(std::string first, ReadAt(fd_, id * ps, ps, name_));
  VERIFIED_ASSIGN_OR_RETURN(PageHeader h, ParsePageHeader(first));
  uint64_t run = (uint64_t{h.overflow} + 1) * ps;
  if (uint64_t{h.overflow} >= meta_.pgid - id || run > limits_.max_run_bytes ||
      id * ps + run > file_size_) {
    return Corrupt(MakeError(ErrorKind::kIntegrity,
                             "page {} claims {} overflow pages, beyond the file or the limit", id,
                             h.overflow));
  }
  bytes_read_ += run;
  if (bytes_read_ > limits_.max_read_bytes) {
    return Corrupt(MakeError(ErrorKind::kTooLarge, "read more than {} bytes of pages",
                             limits_.max_read_bytes));
  }
  auto page = std::make_unique<CachedPage>();
  page->bytes = std::move(first);
  if (run > ps) {
    VERIFIED_ASSIGN_OR_RETURN(std::string rest, ReadAt(fd_, id * ps + ps, run - ps, name_));
    page->bytes += rest;
  }
  auto node = ParseNode(page->bytes, id);
  if (!node.ok()) return Corrupt(std::move(node).error());
  page->node = std::move(node).value();
  const Node* out = &page->node;
  pages_.emplace(id, std::move(page));
  return out;
}

Result<Bucket> Tx::DecodeBucket(std::string_view key, std::string_view value) {
  if (value.size() < kBucketHeaderSize) {
    return Corrupt(
        MakeError(ErrorKind::kIntegrity, "bucket '{}' has a {}-byte header", key, value.size()));
  }
  Bucket b;
  b.root_ = Le64(value, 0);
  if (b.root_ == 0) {
    // bbolt inlines a bucket only when its single node is a leaf holding no sub-buckets
    // (bucket.go inlineable); anything else in an inline value is not bbolt's.
    b.inline_page_ = value.substr(kBucketHeaderSize);
    VERIFIED_ASSIGN_OR_RETURN(const Node* n, RootNode(b));
    for (const auto& e : n->elements) {
      if (e.is_bucket) {
        return Corrupt(MakeError(ErrorKind::kIntegrity, "inline bucket '{}' holds a bucket", key));
      }
    }
    return b;
  }
  if (value.size() != kBucketHeaderSize) {
    return Corrupt(MakeError(ErrorKind::kIntegrity, "bucket '{}' at page {} has trailing bytes",
                             key, b.root_));
  }
  return b;
}

Result<const Node*> Tx::RootNode(const Bucket& b) {
  if (!b.is_inline()) return Page(b.root_);
  const char* at = b.inline_page_.data();
  if (auto it = inline_nodes_.find(at); it != inline_nodes_.end()) return it->second.get();
  auto node = ParseNode(b.inline_page_, std::nullopt);
  if (!node.ok()) return Corrupt(Wrap(std::move(node).error(), "inline bucket"));
  if (!node->leaf) {
    return Corrupt(MakeError(ErrorKind::kIntegrity, "inline bucket page is not a leaf"));
  }
  auto owned = std::make_unique<Node>(std::move(node).value());
  const Node* out = owned.get();
  inline_nodes_.emplace(at, std::move(owned));
  return out;
}

// A child's keys must lie in [key(index), key(index + 1)) of its branch: bbolt's spill sets a
// branch key to its child's first key. This catches a page that was reused for something else.
Result<const Node*> Tx::ChildNode(const Node& branch, size_t index) {
  const Element& e = branch.elements[index];
  VERIFIED_ASSIGN_OR_RETURN(const Node* child, Page(e.child));
  if (!child->elements.empty()) {
    bool low_ok = !(child->elements.front().key < e.key);
    bool high_ok = index + 1 == branch.elements.size() ||
                   child->elements.back().key < branch.elements[index + 1].key;
    if (!low_ok || !high_ok) {
      return Corrupt(MakeError(ErrorKind::kIntegrity,
                               "page {} holds keys outside the range its branch gives it",
                               e.child));
    }
  } else if (!child->leaf) {
    return Corrupt(MakeError(ErrorKind::kIntegrity, "empty branch page {}", e.child));
  }
  return child;
}

Result<std::optional<Element>> Tx::Seek(const Bucket& b, std::string_view key) {
  VERIFIED_ASSIGN_OR_RETURN(const Node* node, RootNode(b));
  for (size_t depth = 0;; ++depth) {
    if (depth > limits_.max_depth) {
      return Corrupt(MakeError(ErrorKind::kTooLarge, "tree deeper than {} levels (a cycle?)",
                               limits_.max_depth));
    }
    const auto& el = node->elements;
    auto it = std::lower_bound(el.begin(), el.end(), key,
                               [](const Element& e, std::string_view k) { return e.key < k; });
    if (node->leaf) {
      if (it == el.end() || it->key != key) return std::optional<Element>();
      return std::optional<Element>(*it);
    }
    // cursor.go search: the last element whose key is <= the searched key (or the first).
    size_t index = static_cast<size_t>(it - el.begin());
    if ((it == el.end() || it->key != key) && index > 0) --index;
    VERIFIED_ASSIGN_OR_RETURN(node, ChildNode(*node, index));
  }
}

Result<std::optional<Bucket>> Tx::Child(const Bucket& parent, std::string_view name) {
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Element> e, Seek(parent, name));
  if (!e) return std::optional<Bucket>();
  if (!e->is_bucket) {
    return MakeError(ErrorKind::kInconsistent, "{}: '{}' is a value, not a bucket", name_, name);
  }
  VERIFIED_ASSIGN_OR_RETURN(Bucket b, DecodeBucket(e->key, e->value));
  return std::optional<Bucket>(b);
}

Result<std::optional<Bucket>> Tx::Path(std::initializer_list<std::string_view> names) {
  Bucket cur = Root();
  for (std::string_view n : names) {
    VERIFIED_ASSIGN_OR_RETURN(std::optional<Bucket> next, Child(cur, n));
    if (!next) return next;
    cur = *next;
  }
  return std::optional<Bucket>(cur);
}

Result<std::optional<std::string>> Tx::Get(const Bucket& bucket, std::string_view key) {
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Element> e, Seek(bucket, key));
  if (!e) return std::optional<std::string>();
  if (e->is_bucket) {
    return MakeError(ErrorKind::kInconsistent, "{}: '{}' is a bucket, not a value", name_, key);
  }
  return std::optional<std::string>(std::string(e->value));
}

Status Tx::Walk(const Node& node, size_t depth, const std::function<Status(const Entry&)>& fn) {
  if (depth > limits_.max_depth) {
    return Corrupt(MakeError(ErrorKind::kTooLarge, "tree deeper than {} levels (a cycle?)",
                             limits_.max_depth));
  }
  for (size_t i = 0; i < node.elements.size(); ++i) {
    const Element& e = node.elements[i];
    if (node.leaf) {
      if (++entries_ > limits_.max_entries) {
        return Corrupt(
            MakeError(ErrorKind::kTooLarge, "more than {} entries visited", limits_.max_entries));
      }
      VERIFIED_RETURN_IF_ERROR(fn(Entry{e.key, e.value, e.is_bucket}));
      continue;
    }
    VERIFIED_ASSIGN_OR_RETURN(const Node* child, ChildNode(node, i));
    VERIFIED_RETURN_IF_ERROR(Walk(*child, depth + 1, fn));
  }
  return Ok();
}

Status Tx::ForEach(const Bucket& bucket, const std::function<Status(const Entry&)>& fn) {
  VERIFIED_ASSIGN_OR_RETURN(const Node* root, RootNode(bucket));
  return Walk(*root, 0, fn);
}

Result<Bucket> Tx::OpenBucket(const Entry& entry) {
  if (!entry.is_bucket) {
    return MakeError(ErrorKind::kInconsistent, "{}: '{}' is a value, not a bucket", name_,
                     entry.key);
  }
  return DecodeBucket(entry.key, entry.value);
}

// ---------------------------------------------------------------------------------------- Db

Result<Db> Db::Open(const Dir& dir, std::string_view rel, Limits limits) {
  VERIFIED_ASSIGN_OR_RETURN(int fd, dir.OpenFile(rel));
  return FromFd(fd, dir.path() + "/" + std::string(rel), limits);
}

Db Db::FromFd(int fd, std::string name, Limits limits) { return Db(fd, std::move(name), limits); }

Db::Db(Db&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), name_(std::move(other.name_)), limits_(other.limits_) {}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    name_ = std::move(other.name_);
    limits_ = other.limits_;
  }
  return *this;
}

Db::~Db() {
  if (fd_ >= 0) close(fd_);
}

Result<Meta> Db::CurrentMeta() const {
  VERIFIED_ASSIGN_OR_RETURN(uint64_t size, FileSize(fd_, name_));
  VERIFIED_ASSIGN_OR_RETURN(MetaPair p, ReadMetas(fd_, size, name_));
  // db.go meta(): the valid meta with the highest txid.
  if (p.m0.ok() && p.m1.ok()) return p.m1->txid > p.m0->txid ? *p.m1 : *p.m0;
  if (p.m0.ok()) return *p.m0;
  if (p.m1.ok()) return *p.m1;
  return MakeError(ErrorKind::kIntegrity, "{}: no valid meta page ({}; {})", name_,
                   p.m0.error().What(), p.m1.error().What());
}

Status Db::ViewStatus(const std::function<Status(Tx&)>& fn) const {
  std::optional<Error> last;
  for (int attempt = 0; attempt < limits_.max_attempts; ++attempt) {
    if (attempt > 1) std::this_thread::sleep_for(std::chrono::milliseconds(1 << (attempt - 2)));
    auto before = CurrentMeta();
    // bbolt writes one meta page at a time, so the other stays valid: both invalid is a
    // corrupt or foreign file, not a race.
    if (!before.ok()) return std::move(before).error();
    auto size = FileSize(fd_, name_);
    if (!size.ok()) return std::move(size).error();
    Tx tx(fd_, name_, *size, *before, limits_);
    Status st = fn(tx);
    auto after = CurrentMeta();
    if (after.ok() && *after == *before) return st;  // no commit during the read
    last = st.ok() ? MakeError(ErrorKind::kInconsistent, "{}: a commit raced the read", name_)
                   : std::move(st).error();
  }
  return MakeError(ErrorKind::kInconsistent,
                   "{}: the file changed during each of {} reads (last: {})", name_,
                   limits_.max_attempts, last ? last->What() : std::string("?"));
}

}  // namespace verified::bbolt
