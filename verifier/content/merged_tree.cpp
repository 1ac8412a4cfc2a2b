#include "verifier/content/merged_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>

#include "verifier/fs/dir.h"

namespace verified {
namespace {

constexpr std::string_view kAufsWhiteout = ".wh.";
constexpr std::string_view kAufsOpaque = ".wh..wh..opq";
constexpr int kMaxSymlinkHops = 40;  // Linux's MAXSYMLINKS

// Closes an fd when it goes out of scope.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) close(fd);
  }
};

bool XattrIsY(int fd, const char* name) {
  char v[2] = {0, 0};
  ssize_t n = fgetxattr(fd, name, v, sizeof(v));
  return n == 1 && v[0] == 'y';
}

// overlayfs marks an opaque directory with trusted.overlay.opaque; with the "userxattr"
// mount option (rootless engines) it is user.overlay.opaque.
bool IsOpaqueXattr(int dirfd) {
  return XattrIsY(dirfd, "trusted.overlay.opaque") || XattrIsY(dirfd, "user.overlay.opaque");
}

std::string Join(const std::string& dir, std::string_view name) {
  return dir.empty() ? std::string(name) : dir + "/" + std::string(name);
}

// Reads all names of an open directory (consumes a dup of the fd).
Result<std::vector<std::string>> ReadNames(int dirfd, const std::string& what, size_t budget) {
  int dup_fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
  if (dup_fd < 0) return SysError(errno, "dup " + what);
  DIR* d = fdopendir(dup_fd);
  if (d == nullptr) {
    int saved = errno;
    close(dup_fd);
    return SysError(saved, "read directory " + what);
  }
  std::vector<std::string> names;
  errno = 0;
  while (struct dirent* e = readdir(d)) {
    std::string_view n(e->d_name);
    if (n == "." || n == "..") continue;
    if (names.size() >= budget) {
      closedir(d);
      return MakeError(ErrorKind::kTooLarge, "{}: more entries than the scan limit", what);
    }
    names.emplace_back(n);
  }
  int saved = errno;
  closedir(d);
  if (saved != 0) return SysError(saved, "read directory " + what);
  return names;
}

}  // namespace

bool MergedEntry::IsSymlink() const { return S_ISLNK(mode); }
bool MergedEntry::IsRegular() const { return S_ISREG(mode); }
bool MergedEntry::IsExecutable() const { return S_ISREG(mode) && (mode & 0111) != 0; }

std::string AbsPath(std::string_view rel) { return "/" + std::string(rel); }

std::string CleanAbsolutePath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (pos <= path.size()) {
    auto slash = path.find('/', pos);
    auto c = path.substr(pos, slash == std::string_view::npos ? path.size() - pos : slash - pos);
    if (c == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!c.empty() && c != ".") {
      parts.push_back(c);
    }
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  std::string out;
  for (auto c : parts) {
    out += '/';
    out.append(c);
  }
  return out.empty() ? "/" : out;
}

// Applies one layer at a time on top of the entries merged so far.
class LayerMerger {
 public:
  LayerMerger(MergedTree& tree, const MergeLimits& limits) : tree_(tree), limits_(limits) {}

  Status MergeLayer(size_t index, const std::string& diff_dir) {
    layer_ = index;
    root_path_ = diff_dir;
    VERIFIED_ASSIGN_OR_RETURN(Dir root, Dir::Open(diff_dir));
    return MergeDir(root.fd(), "", 0);
  }

 private:
  // Erases everything strictly beneath `rel` ("" = the whole tree). std::map keeps "a/..."
  // contiguous: '/' + 1 == '0', so ["a/", "a0") is exactly the subtree.
  void EraseBeneath(const std::string& rel) {
    if (layer_ == 0) return;  // nothing below the bottom layer to hide
    auto& m = tree_.entries_;
    if (rel.empty()) {
      m.clear();
      return;
    }
    m.erase(m.lower_bound(rel + "/"), m.lower_bound(rel + "0"));
  }

  void EraseWithSubtree(const std::string& rel) {
    if (layer_ == 0) return;
    tree_.entries_.erase(rel);
    EraseBeneath(rel);
  }

  Status MergeDir(int dirfd, const std::string& rel, size_t depth) {
    std::string what = root_path_ + "/" + rel;
    if (depth > limits_.max_depth) {
      return MakeError(ErrorKind::kTooLarge, "{}: nested deeper than {} directories", what,
                       limits_.max_depth);
    }
    size_t budget = limits_.max_entries - tree_.visited_;
    VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names, ReadNames(dirfd, what, budget));
    tree_.visited_ += names.size();
    bool opaque = IsOpaqueXattr(dirfd);
    for (const auto& n : names) opaque = opaque || n == kAufsOpaque;
    // What the layers below had here is hidden before this layer's own entries are added.
    if (opaque) EraseBeneath(rel);
    for (const auto& name : names) {
      if (name == kAufsOpaque) continue;
      if (name.rfind(kAufsWhiteout, 0) == 0) {
        EraseWithSubtree(Join(rel, name.substr(kAufsWhiteout.size())));
        continue;
      }
      VERIFIED_RETURN_IF_ERROR(MergeEntry(dirfd, rel, name, depth));
    }
    return Ok();
  }

  Status MergeEntry(int dirfd, const std::string& rel, const std::string& name, size_t depth) {
    std::string path = Join(rel, name);
    struct stat st;
    if (fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      return SysError(errno, "stat " + root_path_ + "/" + path);
    }
    if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 0 && minor(st.st_rdev) == 0) {
      EraseWithSubtree(path);  // overlay whiteout
      return Ok();
    }
    if (S_ISDIR(st.st_mode)) {
      if (layer_ > 0) tree_.entries_.erase(path);  // a directory over a lower file hides it
      int fd = openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) return SysError(errno, "open directory " + root_path_ + "/" + path);
      FdCloser closer{fd};
      return MergeDir(fd, path, depth + 1);
    }
    EraseBeneath(path);  // a non-directory over a lower directory hides its subtree
    if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
      tree_.entries_.erase(path);  // devices, fifos, sockets: nothing to execute
      return Ok();
    }
    MergedEntry e;
    e.layer = layer_;
    e.mode = st.st_mode;
    e.size = static_cast<uint64_t>(st.st_size);
    if (S_ISLNK(st.st_mode)) {
      char buf[4096];
      ssize_t n = readlinkat(dirfd, name.c_str(), buf, sizeof(buf));
      if (n < 0) return SysError(errno, "readlink " + root_path_ + "/" + path);
      e.link_target.assign(buf, static_cast<size_t>(n));
    }
    tree_.entries_.insert_or_assign(std::move(path), std::move(e));
    return Ok();
  }

  MergedTree& tree_;
  const MergeLimits& limits_;
  size_t layer_ = 0;
  std::string root_path_;
};

Result<MergedTree> MergedTree::Build(const std::vector<LayerLocation>& layers,
                                     const MergeLimits& limits) {
  if (layers.empty()) {
    return MakeError(ErrorKind::kNotFound,
                     "the image's layer directories are not known (the engine's store did not "
                     "resolve them from disk)");
  }
  MergedTree tree;
  LayerMerger merger(tree, limits);
  for (size_t i = 0; i < layers.size(); ++i) {
    if (layers[i].diff_dir.empty()) {
      return MakeError(ErrorKind::kNotFound, "layer {} ({}) has no directory on disk", i + 1,
                       layers[i].diff_id);
    }
    tree.layer_dirs_.push_back(layers[i].diff_dir);
    auto st = merger.MergeLayer(i, layers[i].diff_dir);
    if (!st.ok()) return Wrap(std::move(st).error(), "layer {}", i + 1);
  }
  return tree;
}

MergedTree MergedTree::FromEntries(std::map<std::string, MergedEntry> entries,
                                   std::vector<std::string> layer_dirs) {
  MergedTree t;
  t.entries_ = std::move(entries);
  t.layer_dirs_ = std::move(layer_dirs);
  t.visited_ = t.entries_.size();
  return t;
}

const MergedEntry* MergedTree::Find(std::string_view rel) const {
  auto it = entries_.find(std::string(rel));
  return it == entries_.end() ? nullptr : &it->second;
}

Result<std::string> MergedTree::Resolve(std::string_view abs_path) const {
  // Components still to walk, in order; `done` is the resolved prefix.
  std::vector<std::string> todo, done;
  auto push_path = [&todo](std::string_view p) {
    std::vector<std::string> parts;
    size_t pos = 0;
    while (pos <= p.size()) {
      auto slash = p.find('/', pos);
      auto c = p.substr(pos, slash == std::string_view::npos ? p.size() - pos : slash - pos);
      if (!c.empty() && c != ".") parts.emplace_back(c);
      if (slash == std::string_view::npos) break;
      pos = slash + 1;
    }
    todo.insert(todo.begin(), parts.begin(), parts.end());
  };
  push_path(abs_path);
  int hops = 0;
  while (!todo.empty()) {
    std::string c = std::move(todo.front());
    todo.erase(todo.begin());
    if (c == "..") {
      if (!done.empty()) done.pop_back();  // clamped at the root, like securejoin
      continue;
    }
    std::string joined;
    for (const auto& d : done) joined += d + "/";
    joined += c;
    const MergedEntry* e = Find(joined);
    if (e == nullptr || !e->IsSymlink()) {
      done.push_back(std::move(c));
      continue;
    }
    if (++hops > kMaxSymlinkHops) {
      return MakeError(ErrorKind::kTooLarge, "{}: more than {} symlinks (a loop?)", abs_path,
                       kMaxSymlinkHops);
    }
    if (!e->link_target.empty() && e->link_target.front() == '/') done.clear();
    push_path(e->link_target);
  }
  std::string out;
  for (const auto& d : done) out += (out.empty() ? "" : "/") + d;
  return out;
}

Result<std::string> MergedTree::ReadFile(std::string_view rel, size_t limit) const {
  const MergedEntry* e = Find(rel);
  if (e == nullptr || !e->IsRegular()) {
    return MakeError(ErrorKind::kNotFound, "the image has no regular file {}", AbsPath(rel));
  }
  VERIFIED_ASSIGN_OR_RETURN(Dir layer, Dir::Open(layer_dirs_[e->layer]));
  auto text = layer.ReadFile(rel, limit);
  if (!text.ok()) return Wrap(std::move(text).error(), "read {}", AbsPath(rel));
  return text;
}

}  // namespace verified
