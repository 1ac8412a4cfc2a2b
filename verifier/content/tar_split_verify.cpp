#include "verifier/content/tar_split_verify.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <optional>
#include <unordered_map>

#include "verifier/content/crc64.h"
#include "verifier/content/disk.h"
#include "verifier/content/tar_header.h"
#include "verifier/content/tar_split.h"
#include "verifier/crypto/sha256.h"
#include "verifier/fs/dir.h"

namespace verified::content {
namespace {

Result<std::unique_ptr<TarSplitReader>> OpenTarSplit(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return SysError(errno, "open tar-split " + path);
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return MakeError(ErrorKind::kUnsafePath, "tar-split {} is not a regular file", path);
  }
  return TarSplitReader::FromFd(fd, "tar-split " + path);
}

// Keeps the directory of the last file open: tar entries come in directory order, so most
// files share the previous one's parent.
class ParentCache {
 public:
  explicit ParentCache(int rootfd) : rootfd_(rootfd) {}
  Result<int> Get(const std::string& parent) {
    if (parent.empty()) return rootfd_;
    if (fd_.valid() && parent == path_) return fd_.get();
    fd_ = Fd();
    VERIFIED_ASSIGN_OR_RETURN(fd_, OpenBeneath(rootfd_, parent, O_RDONLY | O_DIRECTORY));
    path_ = parent;
    return fd_.get();
  }

 private:
  int rootfd_;
  std::string path_;
  Fd fd_;
};

std::pair<std::string, std::string> SplitParentPath(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return {"", path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

struct PendingHeader {
  std::string name;
  int64_t size;
  size_t node;  // index of the node the entry produced (SIZE_MAX: none)
};

// Opens the regular file that supplies the content of `path`; a problem with the file itself
// is a mismatch (the sentence), not an error.
Result<std::optional<std::string>> OpenContent(ParentCache& parents, const std::string& path,
                                               const DiskStat& root, Fd& out, DiskStat& st) {
  auto [parent, base] = SplitParentPath(path);
  auto dirfd = parents.Get(parent);
  if (!dirfd.ok()) {
    return std::optional<std::string>("cannot be reached: " + dirfd.error().What());
  }
  auto fd = OpenBeneath(*dirfd, base, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (!fd.ok()) {
    if (fd.error().kind() == ErrorKind::kNotFound) {
      return std::optional<std::string>("is in the layer but missing on disk");
    }
    if (fd.error().kind() == ErrorKind::kUnsafePath) {
      // Name what is there instead: a symlink (never followed) or something mounted over it.
      auto leaf = StatAt(*dirfd, base.c_str());
      if (leaf.ok() && S_ISLNK(leaf->mode)) {
        return std::optional<std::string>("is a symlink on disk but a regular file in the layer");
      }
      return std::optional<std::string>("is a mount point or lies under one (refused)");
    }
    return fd.error();
  }
  VERIFIED_ASSIGN_OR_RETURN(st, FstatFd(fd->get()));
  if (!S_ISREG(st.mode)) {
    NodeType t = NodeType::kRegular;
    DiskNodeType(st, t);
    return std::optional<std::string>(
        fmt::format("is a {} on disk but a regular file in the layer", NodeTypeName(t)));
  }
  // No mount-id check needed: openat2 with RESOLVE_NO_XDEV refused to cross any mount.
  st.mnt_id = root.mnt_id;
  out = std::move(fd).value();
  return std::optional<std::string>();
}

// After the layer hash failed: re-reads every file and compares it with the CRC-64 tar-split
// recorded, to name the file whose bytes changed. The SHA-256 verdict stands either way.
Result<std::string> LocateByCrc(const std::string& diff_dir, const std::string& tar_split,
                                Workspace& ws) {
  VERIFIED_ASSIGN_OR_RETURN(auto root, OpenLayerRoot(diff_dir));
  VERIFIED_ASSIGN_OR_RETURN(auto reader, OpenTarSplit(tar_split));
  ParentCache parents(root.first.get());
  TarSplitEntry e;
  Crc64 crc;
  while (true) {
    VERIFIED_ASSIGN_OR_RETURN(bool more, reader->Next(e));
    if (!more) return std::string();
    if (e.type != TarSplitEntry::kFile || e.size == 0) continue;
    VERIFIED_ASSIGN_OR_RETURN(std::string path, CleanArchiveName(e.name));
    Fd fd;
    DiskStat st;
    VERIFIED_ASSIGN_OR_RETURN(auto bad, OpenContent(parents, path, root.second, fd, st));
    if (bad) return path;
    crc.Reset();
    VERIFIED_ASSIGN_OR_RETURN(
        uint64_t got,
        StreamFile(fd.get(), static_cast<uint64_t>(e.size), ws.buf.get(), Workspace::kBufferBytes,
                   [&](const char* p, size_t n) { crc.Update(p, n); }));
    if (got != static_cast<uint64_t>(e.size) || crc.Sum() != e.payload) return path;
  }
}

LayerOutcome Mismatch(std::string file, std::string message) {
  LayerOutcome o;
  o.ok = false;
  o.file = std::move(file);
  o.message = std::move(message);
  return o;
}

}  // namespace

Result<LayerOutcome> VerifyTarSplitLayer(const std::string& diff_dir, const std::string& tar_split,
                                         const std::string& diff_id, Workspace& ws,
                                         Recording* rec) {
  // Taken before the first stat: see WalkOptions::racy_after_ns.
  const int64_t racy_after_ns = RacyThreshold();
  VERIFIED_ASSIGN_OR_RETURN(auto root, OpenLayerRoot(diff_dir));
  int rootfd = root.first.get();
  VERIFIED_ASSIGN_OR_RETURN(auto reader, OpenTarSplit(tar_split));

  Sha256 stream, file_hash;
  ExpectedTreeBuilder builder;
  std::optional<PendingHeader> pending;
  TarStreamParser parser(
      [&](const TarEntry& e) -> Status {
        if (pending) {
          return MakeError(ErrorKind::kParse, "tar entry '{}' has no tar-split file entry",
                           pending->name);
        }
        VERIFIED_RETURN_IF_ERROR(builder.Add(e));
        pending = PendingHeader{e.name, e.size, builder.last_index()};
        return Ok();
      },
      /*inline_content=*/false);
  HashedFiles hashed;
  std::vector<std::pair<size_t, std::string>> digests;  // node index, content digest
  ParentCache parents(rootfd);
  LayerOutcome out;
  TarSplitEntry e;
  while (true) {
    VERIFIED_ASSIGN_OR_RETURN(bool more, reader->Next(e));
    if (!more) break;
    if (e.type == TarSplitEntry::kSegment) {
      stream.Update(e.payload);
      out.bytes += e.payload.size();
      VERIFIED_RETURN_IF_ERROR(parser.Feed(e.payload.data(), e.payload.size()));
      continue;
    }
    if (!pending || pending->name != e.name || pending->size != e.size) {
      return MakeError(
          ErrorKind::kParse,
          "tar-split file entry '{}' ({} bytes) does not follow its tar header{}", e.name, e.size,
          pending ? fmt::format(" ('{}', {} bytes)", pending->name, pending->size) : std::string());
    }
    size_t node = pending->node;
    pending.reset();
    if (e.size == 0) continue;
    if (node == SIZE_MAX || builder.node(node).type != NodeType::kRegular) {
      return MakeError(ErrorKind::kUnsupported, "tar entry '{}' has content but is no regular file",
                       e.name);
    }
    const std::string& path = builder.node(node).path;
    Fd fd;
    DiskStat st;
    VERIFIED_ASSIGN_OR_RETURN(auto bad, OpenContent(parents, path, root.second, fd, st));
    if (bad) return Mismatch(path, *bad);
    if (st.size != e.size) {
      return Mismatch(path,
                      fmt::format("has {} bytes on disk but {} in the layer", st.size, e.size));
    }
    VERIFIED_ASSIGN_OR_RETURN(auto xattrs, XattrsFd(fd.get()));
    VERIFIED_ASSIGN_OR_RETURN(uint64_t got,
                              StreamFile(fd.get(), static_cast<uint64_t>(e.size), ws.buf.get(),
                                         Workspace::kBufferBytes, [&](const char* p, size_t n) {
                                           stream.Update(p, n);
                                           if (rec != nullptr) file_hash.Update(p, n);
                                         }));
    if (got != static_cast<uint64_t>(e.size)) {
      return Mismatch(path, "became shorter while it was being read");
    }
    out.bytes += got;
    ++out.files;
    VERIFIED_RETURN_IF_ERROR(parser.SkipContent(got));
    if (hashed.size() <= node) hashed.resize(node + 1);
    hashed[node] = HashedFile{true, st, std::move(xattrs)};
    if (rec != nullptr) digests.emplace_back(node, file_hash.FinalHex());
  }
  if (pending) {
    return MakeError(ErrorKind::kParse, "tar entry '{}' has no tar-split file entry",
                     pending->name);
  }
  VERIFIED_RETURN_IF_ERROR(parser.Finish());
  out.digest = "sha256:" + stream.FinalHex();
  VERIFIED_ASSIGN_OR_RETURN(ExpectedTree tree, std::move(builder).Finish());

  if (out.digest != diff_id) {
    VERIFIED_ASSIGN_OR_RETURN(std::string file, LocateByCrc(diff_dir, tar_split, ws));
    LayerOutcome m = Mismatch(
        file, file.empty() ? fmt::format("the layer's tar stream hashes to {}, not to its diffID "
                                         "(every file matches its tar-split CRC-64: the "
                                         "tar-split headers were changed, or a file was "
                                         "changed to collide with its CRC-64)",
                                         out.digest)
                           : fmt::format("content differs: the layer's tar stream hashes to {}, "
                                         "not to its diffID",
                                         out.digest));
    m.digest = out.digest;
    m.bytes = out.bytes;
    return m;
  }

  WalkOptions walk;
  walk.hashed = &hashed;
  walk.racy_after_ns = racy_after_ns;
  if (rec != nullptr) {
    for (auto& [node, digest] : digests) tree.nodes[node].content_sha256 = std::move(digest);
    rec->fps = Fingerprints{};
    walk.record = &rec->fps;
  }
  VERIFIED_ASSIGN_OR_RETURN(auto diff, WalkAndCompare(rootfd, root.second, tree, walk));
  if (diff) {
    LayerOutcome m = Mismatch(diff->path, diff->message);
    m.digest = out.digest;
    m.bytes = out.bytes;
    return m;
  }
  if (rec != nullptr) {
    rec->tree = std::move(tree);
  }
  out.ok = true;
  return out;
}

}  // namespace verified::content
