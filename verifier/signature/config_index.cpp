#include "verifier/signature/config_index.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "verifier/core/go_json_keys.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/image/digest.h"
#include "verifier/signature/signature_store.h"
#include "verifier/signature/signed_manifest.h"

namespace verified::signature {
namespace {

constexpr std::string_view kPrefix = "sha256-";

std::string EntryName(std::string_view digest) {
  std::string name(kPrefix);  // appended: GCC 12 -O3 misreads string + chains (PR105329)
  name += DigestHex(digest);
  return name;
}

// The config's index directory path, nullopt when the bytes bind no config.
Result<std::optional<std::string>> ConfigDirFor(const std::string& config_dir,
                                                std::string_view manifest) {
  auto parsed = ParseSignedManifest(manifest);
  if (!parsed.ok() || parsed->is_index) return std::optional<std::string>();
  return std::optional<std::string>(ConfigIndexDir(config_dir) + "/" +
                                    EntryName(parsed->config_digest));
}

Result<Dir> OpenTrusted(const std::string& path) {
  VERIFIED_ASSIGN_OR_RETURN(Dir dir, Dir::Open(path));
  struct stat st;
  if (fstat(dir.fd(), &st) != 0) return SysError(errno, "stat " + path);
  VERIFIED_RETURN_IF_ERROR(CheckTrustedStat(st, path));
  return dir;
}

}  // namespace

std::string ConfigIndexDir(const std::string& config_dir) {
  return SignaturesDir(config_dir) + "/by-config";
}

Result<std::vector<std::string>> SignedManifestsForConfig(const std::string& config_dir,
                                                          std::string_view config_digest) {
  VERIFIED_ASSIGN_OR_RETURN(std::string digest, ParseDigest(config_digest, "config digest"));
  std::vector<std::string> out;
  // The path up to the index is checked as the store's (no symlink, trusted owner and mode);
  // the per-config directory is opened beneath it, never following a link.
  Status st = CheckTrustedPath(ConfigIndexDir(config_dir));
  if (!st.ok()) {
    if (st.error().kind() == ErrorKind::kNotFound) return out;
    return std::move(st).error();
  }
  VERIFIED_ASSIGN_OR_RETURN(Dir index, OpenTrusted(ConfigIndexDir(config_dir)));
  std::string name = EntryName(digest);
  VERIFIED_ASSIGN_OR_RETURN(bool exists, index.Exists(name));
  if (!exists) return out;
  VERIFIED_ASSIGN_OR_RETURN(Dir dir, index.OpenDir(name));
  struct stat sb;
  if (fstat(dir.fd(), &sb) != 0) return SysError(errno, "stat " + dir.path());
  VERIFIED_RETURN_IF_ERROR(CheckTrustedStat(sb, dir.path()));
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names, dir.List("", kMaxManifestsPerConfig));
  for (const auto& n : names) {
    std::string_view hex = std::string_view(n).substr(std::min(n.size(), kPrefix.size()));
    if (n.rfind(kPrefix, 0) != 0 || !IsHex64(hex)) {
      return MakeError(ErrorKind::kUnsafePath, "{}/{}: not an indexed manifest (sha256-<hex>)",
                       dir.path(), QuoteJsonKey(n));
    }
    out.push_back("sha256:" + std::string(hex));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status IndexStoredManifest(const std::string& config_dir, std::string_view manifest_digest,
                           std::string_view manifest) {
  VERIFIED_ASSIGN_OR_RETURN(std::string digest, ParseDigest(manifest_digest, "manifest digest"));
  VERIFIED_ASSIGN_OR_RETURN(std::optional<std::string> dir, ConfigDirFor(config_dir, manifest));
  if (!dir) return Ok();
  VERIFIED_RETURN_IF_ERROR(MakeDirs(*dir));
  VERIFIED_RETURN_IF_ERROR(CheckTrustedPath(*dir));
  std::string path = *dir + "/" + EntryName(digest);
  // An empty file appears whole or not at all: no temp file and rename needed.
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return Ok();
    return SysError(errno, "create " + path);
  }
  close(fd);
  VERIFIED_ASSIGN_OR_RETURN(Dir parent, Dir::Open(*dir));
  if (fsync(parent.fd()) != 0) return SysError(errno, "fsync " + *dir);
  return Ok();
}

Status UnindexStoredManifest(const std::string& config_dir, std::string_view manifest_digest,
                             std::string_view manifest) {
  VERIFIED_ASSIGN_OR_RETURN(std::string digest, ParseDigest(manifest_digest, "manifest digest"));
  VERIFIED_ASSIGN_OR_RETURN(std::optional<std::string> dir, ConfigDirFor(config_dir, manifest));
  if (!dir) return Ok();
  std::string path = *dir + "/" + EntryName(digest);
  if (unlink(path.c_str()) != 0 && errno != ENOENT) return SysError(errno, "remove " + path);
  // The config's directory goes with its last entry; ENOTEMPTY: other manifests remain.
  if (rmdir(dir->c_str()) != 0 && errno != ENOTEMPTY && errno != EEXIST && errno != ENOENT) {
    return SysError(errno, "remove " + *dir);
  }
  return Ok();
}

}  // namespace verified::signature
