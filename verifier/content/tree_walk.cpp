#include "verifier/content/tree_walk.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <ctime>

#include "verifier/content/limits.h"

namespace verified::content {
namespace {

struct Dirent {
  std::string name;
  uint64_t ino;
  bool operator<(const Dirent& o) const { return name < o.name; }
};

Result<std::vector<Dirent>> ListSorted(int dirfd, const std::string& what) {
  int fd = dup(dirfd);
  if (fd < 0) return SysError(errno, "dup " + what);
  DIR* d = fdopendir(fd);
  if (d == nullptr) {
    int saved = errno;
    close(fd);
    return SysError(saved, "list " + what);
  }
  rewinddir(d);
  std::vector<Dirent> names;
  errno = 0;
  while (struct dirent* e = readdir(d)) {
    const char* n = e->d_name;
    if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'))) continue;
    if (names.size() >= kMaxLayerEntries) {
      closedir(d);
      return MakeError(ErrorKind::kTooLarge, "{} holds more than {} entries", what,
                       kMaxLayerEntries);
    }
    names.push_back(Dirent{n, e->d_ino});
  }
  int saved = errno;
  closedir(d);
  if (saved != 0) return SysError(saved, "list " + what);
  std::sort(names.begin(), names.end());
  return names;
}

class Walker {
 public:
  Walker(int rootfd, const DiskStat& root, const ExpectedTree& tree, const WalkOptions& opt)
      : rootfd_(rootfd), root_(root), tree_(tree), opt_(opt), seen_(tree.nodes.size(), 0) {
    for (const auto& n : tree.nodes) {
      if (n.type == NodeType::kHardlink) link_targets_.emplace(n.link, 0);
    }
  }

  Result<std::optional<TreeMismatch>> Run() {
    VERIFIED_ASSIGN_OR_RETURN(auto root_x, XattrsFd(rootfd_));
    bool root_opaque = SplitOpaque(root_x);
    if (root_opaque != tree_.root_opaque) {
      return Found("", root_opaque ? "carries an opaque marker the layer does not have"
                                   : "lost its opaque marker (trusted.overlay.opaque)");
    }
    // overlayfs (uuid=on, Linux 6.6+) stores the mount's uuid on a layer root it mounted;
    // it names the filesystem and changes nothing anyone reads through the mount.
    std::erase_if(root_x, [](const auto& kv) {
      return kv.first == "trusted.overlay.uuid" || kv.first == "user.overlay.uuid";
    });
    if (!root_x.empty()) {
      std::string names;
      for (const auto& kv : root_x) names += (names.empty() ? "" : ", ") + kv.first;
      return Found("", "carries xattrs the layer does not have: " + names);
    }
    if (opt_.record != nullptr) {
      opt_.record->root = root_;
      MarkIfRacy(opt_.record->root, opt_.racy_after_ns);
    }
    std::vector<std::pair<std::string, DiskStat>> stack{{"", root_}};
    while (!stack.empty()) {
      auto [dir, dir_st] = std::move(stack.back());
      stack.pop_back();
      Fd own;
      int dirfd = rootfd_;
      if (!dir.empty()) {
        auto fd = OpenBeneath(rootfd_, dir, O_RDONLY | O_DIRECTORY);
        if (!fd.ok()) return Found(dir, "cannot be opened: " + fd.error().What());
        own = std::move(fd).value();
        dirfd = own.get();
      }
      std::vector<std::pair<std::string, DiskStat>> subdirs;
      VERIFIED_ASSIGN_OR_RETURN(auto found, VisitDir(dir, dir_st, dirfd, subdirs));
      if (found) return found;
      for (auto it = subdirs.rbegin(); it != subdirs.rend(); ++it) stack.push_back(std::move(*it));
    }
    for (size_t i = 0; i < tree_.nodes.size(); ++i) {
      if (!seen_[i]) return Found(tree_.nodes[i].path, "is in the layer but missing on disk");
    }
    for (const auto& n : tree_.nodes) {
      if (n.type != NodeType::kHardlink) continue;
      auto a = inodes_.find(n.path), b = link_targets_.find(n.link);
      if (a == inodes_.end() || b == link_targets_.end() || a->second != b->second) {
        return Found(n.path, "is no longer a hard link to " + n.link);
      }
    }
    return deferred_;
  }

 private:
  static bool MtimeOnly(const ExpectedNode& want, const DiskObject& have) {
    DiskObject fixed = have;
    fixed.st.mtime_sec = want.mtime_sec;
    fixed.st.mtime_nsec = want.mtime_nsec;
    return !CompareNode(want, fixed).has_value();
  }

  static std::optional<TreeMismatch> Found(std::string path, std::string message) {
    return TreeMismatch{std::move(path), std::move(message)};
  }

  Result<std::optional<TreeMismatch>> VisitDir(
      const std::string& dir, const DiskStat& dir_st, int dirfd,
      std::vector<std::pair<std::string, DiskStat>>& subdirs) {
    VERIFIED_ASSIGN_OR_RETURN(auto names, ListSorted(dirfd, dir.empty() ? "layer root" : dir));
    FingerprintGroup* group = nullptr;
    if (opt_.record != nullptr) {
      DiskStat fp = dir_st;
      MarkIfRacy(fp, opt_.racy_after_ns);
      opt_.record->groups.push_back(FingerprintGroup{dir, fp, {}});
      group = &opt_.record->groups.back();
      group->entries.reserve(names.size());
    }
    for (const auto& [name, d_ino] : names) {
      if (++visited_ > kMaxLayerEntries) {
        return MakeError(ErrorKind::kTooLarge, "layer directory holds more than {} entries",
                         kMaxLayerEntries);
      }
      std::string path = JoinPath(dir, name);
      auto it = tree_.index.find(path);
      if (it == tree_.index.end()) return Found(path, "is on disk but not in the layer");
      const ExpectedNode& want = tree_.nodes[it->second];
      seen_[it->second] = 1;
      DiskObject have;
      VERIFIED_ASSIGN_OR_RETURN(auto bad, Inspect(dirfd, name, d_ino, it->second, want, have));
      if (bad) return Found(path, *bad);
      if (have.st.mnt_id != root_.mnt_id) return Found(path, "is a mount point (refused)");
      if (auto diff = CompareNode(want, have)) {
        // A directory's mtime moves when an entry is added or removed in it; name that entry
        // rather than the directory, so keep this one only if nothing more specific turns up.
        bool dir_mtime_only = want.type == NodeType::kDirectory && !want.implicit &&
                              (have.st.mode & S_IFMT) == S_IFDIR && MtimeOnly(want, have);
        if (!dir_mtime_only) return Found(path, *diff);
        if (!deferred_) deferred_ = Found(path, *diff);
      }
      if ((have.st.mode & S_IFMT) == S_IFDIR) {
        subdirs.emplace_back(path, have.st);
      } else if (want.type == NodeType::kHardlink) {
        inodes_[path] = have.st.ino;
      }
      if (auto lt = link_targets_.find(path); lt != link_targets_.end()) lt->second = have.st.ino;
      if (group != nullptr) {
        DiskStat fp = have.st;
        MarkIfRacy(fp, opt_.racy_after_ns);
        group->entries.push_back(FingerprintEntry{name, fp});
        ++opt_.record->count;
      }
    }
    return std::optional<TreeMismatch>();
  }

  // Fills `have` for one object; returns a mismatch sentence when the object itself is wrong.
  Result<std::optional<std::string>> Inspect(int dirfd, const std::string& name, uint64_t d_ino,
                                             size_t index, const ExpectedNode& want,
                                             DiskObject& have) {
    if (opt_.hashed != nullptr && index < opt_.hashed->size() && (*opt_.hashed)[index].valid) {
      const HashedFile& h = (*opt_.hashed)[index];
      // The directory entry must still name the inode whose bytes were hashed (its stat was
      // taken before reading, so a later change shows in its ctime next time).
      if (d_ino != h.st.ino) {
        return std::optional<std::string>("was replaced while it was being verified");
      }
      have.st = h.st;
      have.xattrs = h.xattrs;
      have.opaque = SplitOpaque(have.xattrs);
      return std::optional<std::string>();
    }
    VERIFIED_ASSIGN_OR_RETURN(have.st, StatAt(dirfd, name.c_str()));
    switch (have.st.mode & S_IFMT) {
      case S_IFDIR: {
        auto fd = OpenBeneath(dirfd, name, O_RDONLY | O_DIRECTORY);
        if (!fd.ok()) return std::optional<std::string>("cannot be opened: " + fd.error().What());
        VERIFIED_ASSIGN_OR_RETURN(have.xattrs, XattrsFd(fd->get()));
        break;
      }
      case S_IFLNK: {
        VERIFIED_ASSIGN_OR_RETURN(have.link, ReadLinkAt(dirfd, name.c_str()));
        VERIFIED_ASSIGN_OR_RETURN(have.xattrs, XattrsAt(dirfd, name.c_str()));
        break;
      }
      case S_IFREG: {
        if (opt_.content && want.type == NodeType::kRegular && want.size > 0) {
          auto fd = OpenBeneath(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY);
          if (!fd.ok()) return std::optional<std::string>("cannot be opened: " + fd.error().What());
          VERIFIED_ASSIGN_OR_RETURN(DiskStat st, FstatFd(fd->get()));
          st.mnt_id = root_.mnt_id;  // openat2 with RESOLVE_NO_XDEV crossed no mount
          if (st.ino != have.st.ino) {
            return std::optional<std::string>("changed while it was being verified");
          }
          have.st = st;
          VERIFIED_ASSIGN_OR_RETURN(have.xattrs, XattrsFd(fd->get()));
          have.opaque = SplitOpaque(have.xattrs);
          // Content first when the size allows a comparison: "content differs" is the more
          // useful report for an edited file whose mtime was also bumped.
          if (have.st.size == want.size) {
            VERIFIED_ASSIGN_OR_RETURN(auto bad, opt_.content(want, fd->get(), have.st));
            if (bad) return bad;
          }
          return CompareNode(want, have);
        }
        VERIFIED_ASSIGN_OR_RETURN(have.xattrs, XattrsAt(dirfd, name.c_str()));
        break;
      }
      default: {
        VERIFIED_ASSIGN_OR_RETURN(have.xattrs, XattrsAt(dirfd, name.c_str()));
        break;
      }
    }
    have.opaque = SplitOpaque(have.xattrs);
    return std::optional<std::string>();
  }

  int rootfd_;
  const DiskStat& root_;
  const ExpectedTree& tree_;
  const WalkOptions& opt_;
  std::vector<char> seen_;
  std::unordered_map<std::string, uint64_t> link_targets_;  // target path -> inode
  std::unordered_map<std::string, uint64_t> inodes_;        // hard link path -> inode
  size_t visited_ = 0;
  std::optional<TreeMismatch> deferred_;
};

}  // namespace

void MarkIfRacy(DiskStat& st, int64_t racy_after_ns) {
  __int128 ns = static_cast<__int128>(st.ctime_sec) * 1000000000 + st.ctime_nsec;
  if (ns >= racy_after_ns) MarkRacy(st);
}

int64_t RacyThreshold() {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME_COARSE, &now);
  constexpr int64_t kMarginNs = 100'000'000;  // 100 ms: many ticks at any HZ
  return static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec - kMarginNs;
}

void MarkRacy(DiskStat& st) {
  st.ctime_sec = INT64_MIN;
  st.ctime_nsec = 0;
}

Result<std::optional<TreeMismatch>> WalkAndCompare(int rootfd, const DiskStat& root,
                                                   const ExpectedTree& tree,
                                                   const WalkOptions& opt) {
  return Walker(rootfd, root, tree, opt).Run();
}

}  // namespace verified::content
