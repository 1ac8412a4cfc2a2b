#include "verifier/content/manifest_verify.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <ctime>

#include "verifier/content/disk.h"
#include "verifier/content/tar_header.h"
#include "verifier/crypto/sha256.h"
#include "verifier/fs/dir.h"

namespace verified::content {
namespace {

constexpr size_t kChunk = 256u << 10;

// Streams a gzip member sequence out of `fd` (Go and containerd write single members).
class GzipSource {
 public:
  explicit GzipSource(int fd) : fd_(fd), in_(new unsigned char[kChunk]) {
    inflateInit2(&zs_, 16 + MAX_WBITS);
  }
  ~GzipSource() { inflateEnd(&zs_); }
  ssize_t Read(char* out, size_t len) {
    zs_.next_out = reinterpret_cast<Bytef*>(out);
    zs_.avail_out = static_cast<uInt>(len);
    while (zs_.avail_out == len && !end_) {
      if (zs_.avail_in == 0 && !eof_) {
        if (Fill() < 0) return -1;
      }
      int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        // Another gzip member may follow (Go's reader accepts concatenated members).
        if (zs_.avail_in == 0 && !eof_ && Fill() < 0) return -1;
        if (zs_.avail_in == 0) {
          end_ = true;
        } else {
          inflateReset(&zs_);
        }
      } else if (rc == Z_BUF_ERROR && zs_.avail_in == 0 && eof_) {
        errno = EPROTO;  // truncated
        return -1;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        errno = EBADMSG;
        return -1;
      }
    }
    return static_cast<ssize_t>(len - zs_.avail_out);
  }

 private:
  ssize_t Fill() {
    ssize_t n;
    do {
      n = read(fd_, in_.get(), kChunk);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return -1;
    eof_ = n == 0;
    zs_.next_in = in_.get();
    zs_.avail_in = static_cast<uInt>(n);
    return n;
  }

  int fd_;
  std::unique_ptr<unsigned char[]> in_;
  z_stream zs_{};
  bool eof_ = false, end_ = false;
};

}  // namespace

Result<ExpectedTree> BuildManifestFromTar(const std::function<ssize_t(char*, size_t)>& read_fn,
                                          const std::string& diff_id) {
  Sha256 stream, file_hash;
  ExpectedTreeBuilder builder;
  std::unordered_map<std::string, std::string> digests;
  std::string current;  // the regular file whose content is streaming
  auto finish_file = [&]() {
    if (!current.empty()) digests[current] = file_hash.FinalHex();
    current.clear();
  };
  TarStreamParser parser(
      [&](const TarEntry& e) -> Status {
        finish_file();
        VERIFIED_RETURN_IF_ERROR(builder.Add(e));
        if (e.type == '0' && e.size > 0) {
          VERIFIED_ASSIGN_OR_RETURN(current, CleanArchiveName(e.name));
          file_hash.Reset();
        }
        return Ok();
      },
      /*inline_content=*/true, [&](const char* p, size_t n) { file_hash.Update(p, n); });
  std::unique_ptr<char[]> buf(new char[kChunk]);
  while (true) {
    ssize_t n = read_fn(buf.get(), kChunk);
    if (n < 0) {
      if (errno == EPROTO) return MakeError(ErrorKind::kParse, "layer blob is truncated");
      if (errno == EBADMSG) return MakeError(ErrorKind::kParse, "layer blob is corrupt gzip");
      return SysError(errno, "read layer blob");
    }
    if (n == 0) break;
    stream.Update(buf.get(), static_cast<size_t>(n));
    VERIFIED_RETURN_IF_ERROR(parser.Feed(buf.get(), static_cast<size_t>(n)));
  }
  VERIFIED_RETURN_IF_ERROR(parser.Finish());
  finish_file();
  std::string got = "sha256:" + stream.FinalHex();
  if (got != diff_id) {
    return MakeError(ErrorKind::kIntegrity,
                     "layer blob uncompresses to {}, not to the layer's diffID {}", got, diff_id);
  }
  VERIFIED_ASSIGN_OR_RETURN(ExpectedTree tree, std::move(builder).Finish());
  for (auto& node : tree.nodes) {
    auto d = digests.find(node.path);
    if (d != digests.end() && node.type == NodeType::kRegular) node.content_sha256 = d->second;
  }
  return tree;
}

Result<ExpectedTree> BuildManifestFromBlob(const std::string& blob, const std::string& diff_id,
                                           Workspace& ws) {
  (void)ws;
  int fd = open(blob.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return SysError(errno, "open layer blob " + blob);
  Fd owned(fd);
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return MakeError(ErrorKind::kUnsafePath, "layer blob {} is not a regular file", blob);
  }
  unsigned char magic[4] = {0, 0, 0, 0};
  ssize_t m = pread(fd, magic, sizeof(magic), 0);
  if (m < 0) return SysError(errno, "read layer blob " + blob);
  if (m == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd) {
    return MakeError(ErrorKind::kUnsupported,
                     "layer blob {} is zstd-compressed, which this build cannot read", blob);
  }
  Result<ExpectedTree> tree = MakeError(ErrorKind::kInternal, "unreachable");
  if (m >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    GzipSource gz(fd);
    tree = BuildManifestFromTar([&](char* b, size_t n) { return gz.Read(b, n); }, diff_id);
  } else {
    tree = BuildManifestFromTar([&](char* b, size_t n) { return read(fd, b, n); }, diff_id);
  }
  if (!tree.ok()) return Wrap(std::move(tree).error(), "layer blob {}", blob);
  return tree;
}

Result<LayerOutcome> VerifyWithManifest(const std::string& diff_dir, const ExpectedTree& tree,
                                        const std::unordered_map<std::string, DiskStat>* trusted,
                                        Workspace& ws, Recording* rec) {
  // Taken before the first stat: see WalkOptions::racy_after_ns.
  const int64_t racy_after_ns = RacyThreshold();
  VERIFIED_ASSIGN_OR_RETURN(auto root, OpenLayerRoot(diff_dir));
  LayerOutcome out;
  Sha256 h;
  WalkOptions walk;
  walk.racy_after_ns = racy_after_ns;
  walk.content = [&](const ExpectedNode& want, int fd,
                     const DiskStat& st) -> Result<std::optional<std::string>> {
    if (want.content_sha256.size() != 64) {
      return MakeError(ErrorKind::kInconsistent, "manifest has no content digest for {}",
                       want.path);
    }
    if (trusted != nullptr) {
      auto t = trusted->find(want.path);
      if (t != trusted->end() && t->second.SameFingerprint(st)) return std::optional<std::string>();
    }
    h.Reset();
    VERIFIED_ASSIGN_OR_RETURN(
        uint64_t got,
        StreamFile(fd, static_cast<uint64_t>(want.size), ws.buf.get(), Workspace::kBufferBytes,
                   [&](const char* p, size_t n) { h.Update(p, n); }));
    out.bytes += got;
    ++out.files;
    if (trusted != nullptr) ++out.rehashed;
    if (got != static_cast<uint64_t>(want.size)) {
      return std::optional<std::string>("became shorter while it was being read");
    }
    std::string digest = h.FinalHex();
    if (digest != want.content_sha256) {
      return std::optional<std::string>(
          fmt::format("content differs: sha256:{} on disk, sha256:{} in the layer", digest,
                      want.content_sha256));
    }
    return std::optional<std::string>();
  };
  if (rec != nullptr) {
    rec->fps = Fingerprints{};
    walk.record = &rec->fps;
  }
  VERIFIED_ASSIGN_OR_RETURN(auto diff, WalkAndCompare(root.first.get(), root.second, tree, walk));
  if (diff) {
    out.ok = false;
    out.file = diff->path;
    out.message = diff->message;
    return out;
  }
  out.ok = true;
  return out;
}

}  // namespace verified::content
