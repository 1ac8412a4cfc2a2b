#include "verifier/content/content_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "verifier/content/codec.h"
#include "verifier/content/limits.h"
#include "verifier/crypto/sha256.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"
#include "verifier/image/digest.h"

namespace verified::content {
namespace {

constexpr std::string_view kManifestMagic = "VFYMANv1";
constexpr std::string_view kFingerprintMagic = "VFYFPRv1";
constexpr uint32_t kMaxCount = static_cast<uint32_t>(kMaxLayerEntries);

Status CheckPrivate(const struct stat& st, const std::string& path) {
  if (st.st_uid != 0 && st.st_uid != geteuid()) {
    return MakeError(ErrorKind::kPermission, "{} is owned by uid {}; fix with: chown root {}", path,
                     st.st_uid, path);
  }
  if (st.st_mode & 077) {
    return MakeError(ErrorKind::kPermission,
                     "{} is open to other users (mode {:o}); fix with: chmod go-rwx {}", path,
                     st.st_mode & 07777, path);
  }
  return Ok();
}

std::string RawSha256(std::string_view data) {
  Sha256 h;
  h.Update(data);
  std::string hex = h.FinalHex();
  return hex;
}

}  // namespace

ContentCache::ContentCache(std::string config_dir, DeferredWrites* defer)
    : dir_(std::move(config_dir) + "/content-cache"), defer_(defer) {}

Status ContentCache::EnsureDirs() const {
  for (const std::string& d : {dir_, dir_ + "/manifests", dir_ + "/fingerprints"}) {
    if (mkdir(d.c_str(), 0700) != 0 && errno != EEXIST) return SysError(errno, "mkdir " + d);
    struct stat st;
    if (lstat(d.c_str(), &st) != 0) return SysError(errno, d);
    if (!S_ISDIR(st.st_mode)) return MakeError(ErrorKind::kPermission, "{} is not a directory", d);
    VERIFIED_RETURN_IF_ERROR(CheckPrivate(st, d));
  }
  return Ok();
}

// Reads a cache file: magic, body, then the hex SHA-256 of magic + body. Returns the body, or
// nullopt when the file is absent or damaged (the caller then verifies in full again).
Result<std::optional<std::string>> ContentCache::ReadChecked(const std::string& path,
                                                             std::string_view magic) const {
  struct stat st;
  for (const std::string& d : {dir_, path.substr(0, path.rfind('/'))}) {
    if (lstat(d.c_str(), &st) != 0) {
      if (errno == ENOENT) return std::optional<std::string>();
      return SysError(errno, d);
    }
    if (!S_ISDIR(st.st_mode)) return MakeError(ErrorKind::kPermission, "{} is not a directory", d);
    VERIFIED_RETURN_IF_ERROR(CheckPrivate(st, d));
  }
  int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return SysError(errno, "open " + path);
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return MakeError(ErrorKind::kPermission, "{} is not a regular file", path);
  }
  if (auto p = CheckPrivate(st, path); !p.ok()) {
    close(fd);
    return std::move(p).error();
  }
  auto data = ReadFdLimited(fd, kMaxCacheFile, path);
  close(fd);
  if (!data.ok()) return std::move(data).error();
  std::string& s = *data;
  if (s.size() < magic.size() + 64 || s.compare(0, magic.size(), magic) != 0) {
    return std::optional<std::string>();
  }
  std::string_view body(s.data(), s.size() - 64);
  if (RawSha256(body) != std::string_view(s).substr(s.size() - 64)) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(s.substr(magic.size(), body.size() - magic.size()));
}

std::string EncodeManifest(const std::string& diff_id, const ExpectedTree& tree) {
  ByteWriter w;
  w.Str(diff_id);
  w.U8(tree.root_opaque ? 1 : 0);
  w.U32(static_cast<uint32_t>(tree.nodes.size()));
  for (const auto& n : tree.nodes) {
    w.Str(n.path);
    w.U8(static_cast<uint8_t>(n.type));
    w.U8(static_cast<uint8_t>((n.implicit ? 1 : 0) | (n.opaque ? 2 : 0)));
    w.U32(n.mode);
    w.U64(n.uid);
    w.U64(n.gid);
    w.I64(n.size);
    w.I64(n.mtime_sec);
    w.U32(n.mtime_nsec);
    w.Str(n.link);
    w.U32(n.devmajor);
    w.U32(n.devminor);
    w.U32(static_cast<uint32_t>(n.xattrs.size()));
    for (const auto& [k, v] : n.xattrs) {
      w.Str(k);
      w.Str(v);
    }
    w.Str(n.content_sha256);
  }
  return std::move(w.out());
}

Result<ExpectedTree> DecodeManifest(std::string_view body, const std::string& diff_id) {
  ByteReader r(body);
  ExpectedTree t;
  std::string_view id = r.Str(128);
  t.root_opaque = r.U8() != 0;
  uint32_t n = r.Count(kMaxCount);
  VERIFIED_RETURN_IF_ERROR(r.status("manifest"));
  if (id != diff_id) {
    return MakeError(ErrorKind::kInconsistent, "manifest describes {}, not {}", id, diff_id);
  }
  t.nodes.reserve(std::min<size_t>(n, body.size() / 64 + 1));
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    ExpectedNode node;
    node.path = std::string(r.Str(kMaxPathBytes));
    uint8_t type = r.U8();
    uint8_t flags = r.U8();
    if (type > static_cast<uint8_t>(NodeType::kWhiteout)) {
      return MakeError(ErrorKind::kParse, "manifest: unknown node type {}", type);
    }
    node.type = static_cast<NodeType>(type);
    node.implicit = flags & 1;
    node.opaque = flags & 2;
    node.mode = r.U32();
    node.uid = r.U64();
    node.gid = r.U64();
    node.size = r.I64();
    node.mtime_sec = r.I64();
    node.mtime_nsec = r.U32();
    node.link = std::string(r.Str(kMaxPathBytes));
    node.devmajor = r.U32();
    node.devminor = r.U32();
    uint32_t nx = r.Count(kMaxXattrs);
    for (uint32_t x = 0; x < nx && r.ok(); ++x) {
      std::string k(r.Str(kMaxPathBytes));
      std::string v(r.Str(kMaxXattrValue));
      node.xattrs.emplace_back(std::move(k), std::move(v));
    }
    node.content_sha256 = std::string(r.Str(64));
    if (!r.ok()) break;
    if (node.path.empty() || !t.index.emplace(node.path, t.nodes.size()).second) {
      return MakeError(ErrorKind::kParse, "manifest: empty or duplicate path '{}'", node.path);
    }
    t.nodes.push_back(std::move(node));
  }
  VERIFIED_RETURN_IF_ERROR(r.status("manifest"));
  if (!r.done()) return MakeError(ErrorKind::kParse, "manifest has trailing bytes");
  return t;
}

std::string EncodeFingerprints(const FingerprintRecord& rec) {
  ByteWriter w;
  w.Str(rec.diff_id);
  w.Str(rec.diff_dir);
  w.Str(rec.source);
  w.Stat(rec.source_st);
  w.Str(rec.manifest_digest);
  w.Stat(rec.fps.root);
  w.U32(static_cast<uint32_t>(rec.fps.groups.size()));
  for (const auto& g : rec.fps.groups) {
    w.Str(g.dir);
    w.Stat(g.dir_st);
    w.U32(static_cast<uint32_t>(g.entries.size()));
    for (const auto& e : g.entries) {
      w.Str(e.name);
      w.Stat(e.st);
    }
  }
  return std::move(w.out());
}

Result<FingerprintRecord> DecodeFingerprints(std::string_view body) {
  ByteReader r(body);
  FingerprintRecord rec;
  rec.diff_id = std::string(r.Str(128));
  rec.diff_dir = std::string(r.Str(kMaxPathBytes));
  rec.source = std::string(r.Str(kMaxPathBytes));
  rec.source_st = r.Stat();
  rec.manifest_digest = std::string(r.Str(64));
  rec.fps.root = r.Stat();
  uint32_t groups = r.Count(kMaxCount);
  for (uint32_t g = 0; g < groups && r.ok(); ++g) {
    FingerprintGroup grp;
    grp.dir = std::string(r.Str(kMaxPathBytes));
    grp.dir_st = r.Stat();
    uint32_t n = r.Count(kMaxCount);
    if (rec.fps.count + n > kMaxLayerEntries) {
      return MakeError(ErrorKind::kTooLarge, "fingerprints: more than {} entries",
                       kMaxLayerEntries);
    }
    grp.entries.reserve(std::min<size_t>(n, body.size() / 64 + 1));
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      FingerprintEntry e;
      e.name = std::string(r.Str(255));
      e.st = r.Stat();
      grp.entries.push_back(std::move(e));
    }
    rec.fps.count += n;
    rec.fps.groups.push_back(std::move(grp));
  }
  VERIFIED_RETURN_IF_ERROR(r.status("fingerprints"));
  if (!r.done()) return MakeError(ErrorKind::kParse, "fingerprints have trailing bytes");
  return rec;
}

Result<std::optional<std::pair<ExpectedTree, std::string>>> ContentCache::LoadManifest(
    const std::string& diff_id) const {
  if (!IsSha256Digest(diff_id)) return MakeError(ErrorKind::kParse, "bad diffID {}", diff_id);
  std::string path = dir_ + "/manifests/" + std::string(DigestHex(diff_id));
  VERIFIED_ASSIGN_OR_RETURN(auto body, ReadChecked(path, kManifestMagic));
  if (!body) return std::optional<std::pair<ExpectedTree, std::string>>();
  auto tree = DecodeManifest(*body, diff_id);
  if (!tree.ok()) return std::optional<std::pair<ExpectedTree, std::string>>();
  std::string digest = RawSha256(std::string(kManifestMagic) + *body);
  return std::optional<std::pair<ExpectedTree, std::string>>(
      std::make_pair(std::move(tree).value(), digest));
}

Result<std::string> ContentCache::StoreManifest(const std::string& diff_id,
                                                const ExpectedTree& tree) const {
  if (!IsSha256Digest(diff_id)) return MakeError(ErrorKind::kParse, "bad diffID {}", diff_id);
  if (defer_ == nullptr) VERIFIED_RETURN_IF_ERROR(EnsureDirs());
  std::string data = std::string(kManifestMagic) + EncodeManifest(diff_id, tree);
  std::string digest = RawSha256(data);
  data += digest;
  VERIFIED_RETURN_IF_ERROR(
      WritePrivateOrDefer(defer_, dir_ + "/manifests/" + std::string(DigestHex(diff_id)), data));
  return digest;
}

Result<std::optional<FingerprintRecord>> ContentCache::LoadFingerprints(
    const std::string& diff_id, const std::string& diff_dir) const {
  std::string path = dir_ + "/fingerprints/" + Sha256Hex(diff_id + '\0' + diff_dir);
  VERIFIED_ASSIGN_OR_RETURN(auto body, ReadChecked(path, kFingerprintMagic));
  if (!body) return std::optional<FingerprintRecord>();
  auto rec = DecodeFingerprints(*body);
  if (!rec.ok() || rec->diff_id != diff_id || rec->diff_dir != diff_dir) {
    return std::optional<FingerprintRecord>();
  }
  return std::optional<FingerprintRecord>(std::move(rec).value());
}

Status ContentCache::StoreFingerprints(const FingerprintRecord& rec) const {
  if (defer_ == nullptr) VERIFIED_RETURN_IF_ERROR(EnsureDirs());
  std::string data = std::string(kFingerprintMagic) + EncodeFingerprints(rec);
  data += RawSha256(data);
  return WritePrivateOrDefer(
      defer_, dir_ + "/fingerprints/" + Sha256Hex(rec.diff_id + '\0' + rec.diff_dir), data);
}

}  // namespace verified::content
