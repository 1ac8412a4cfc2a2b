#include "verifier/signature/digest_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "verifier/core/go_json_keys.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/image/digest.h"
#include "verifier/signature/config_index.h"
#include "verifier/signature/manifest_binding.h"

namespace verified::signature {
namespace {

constexpr std::string_view kDirPrefix = "sha256-";

Status CheckOpenDir(const Dir& dir) {
  struct stat st;
  if (fstat(dir.fd(), &st) != 0) return SysError(errno, "stat " + dir.path());
  return CheckTrustedStat(st, dir.path());
}

}  // namespace

std::string DigestDirName(std::string_view digest) {
  std::string name(kDirPrefix);  // appended: GCC 12 -O3 misreads string + chains (PR105329)
  name += DigestHex(digest);
  return name;
}

bool IsWriterTempFile(std::string_view name) {
  size_t at = name.rfind(".tmp.");
  return at != std::string_view::npos && at > 0 && name.size() == at + 5 + 6;
}

Result<std::optional<Dir>> OpenTrustedStore(const std::string& path) {
  Status st = CheckTrustedPath(path);
  if (!st.ok()) {
    if (st.error().kind() == ErrorKind::kNotFound) return std::optional<Dir>();
    return std::move(st).error();
  }
  VERIFIED_ASSIGN_OR_RETURN(Dir dir, Dir::Open(path));
  VERIFIED_RETURN_IF_ERROR(CheckOpenDir(dir));
  return std::optional<Dir>(std::move(dir));
}

Result<std::optional<Dir>> OpenDigestDir(const Dir& store, std::string_view digest) {
  std::string name = DigestDirName(digest);
  VERIFIED_ASSIGN_OR_RETURN(bool exists, store.Exists(name));
  if (!exists) return std::optional<Dir>();
  // Checked on the open handle, so nothing can be swapped in between the check and the reads.
  VERIFIED_ASSIGN_OR_RETURN(Dir dir, store.OpenDir(name));
  VERIFIED_RETURN_IF_ERROR(CheckOpenDir(dir));
  return std::optional<Dir>(std::move(dir));
}

Result<std::string> ReadTrustedEntry(const Dir& dir, std::string_view name, size_t limit) {
  VERIFIED_ASSIGN_OR_RETURN(int fd, dir.OpenFile(name));
  auto text = ReadTrustedFd(fd, dir.path() + "/" + std::string(name), limit);
  close(fd);
  return text;
}

Result<std::string> ReadStoredManifest(const Dir& dir, std::string_view digest) {
  VERIFIED_ASSIGN_OR_RETURN(std::string m,
                            ReadTrustedEntry(dir, kStoredManifestFile, kMaxManifestBytes));
  VERIFIED_RETURN_IF_ERROR_WRAP(VerifyManifestBinding(m, digest), "{}/{}", dir.path(),
                                kStoredManifestFile);
  return m;
}

Result<std::vector<std::string>> ListDigestDirs(const Dir& store, size_t max, std::string_view skip,
                                                std::string_view what) {
  std::vector<std::string> out;
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names, store.List("", max));
  for (const auto& name : names) {
    if (!skip.empty() && name == skip) continue;
    std::string_view hex = std::string_view(name).substr(std::min(name.size(), kDirPrefix.size()));
    if (name.rfind(kDirPrefix, 0) != 0 || !IsHex64(hex)) {
      return MakeError(ErrorKind::kUnsafePath, "{}/{}: not {} (sha256-<hex>)", store.path(),
                       QuoteJsonKey(name), what);
    }
    out.push_back("sha256:" + std::string(hex));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<DigestDirWriter> BeginDigestWrite(const std::string& config_dir, const std::string& store,
                                         std::string_view digest) {
  VERIFIED_RETURN_IF_ERROR(MakeDirs(store));
  VERIFIED_RETURN_IF_ERROR(CheckTrustedPath(store));
  VERIFIED_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(config_dir + "/.lock"));
  std::string dir = store + "/" + DigestDirName(digest);
  VERIFIED_RETURN_IF_ERROR(MakeDirs(dir));
  return DigestDirWriter{std::move(lock), std::move(dir)};
}

Status WriteManifestAndIndex(const std::string& config_dir, const std::string& dir,
                             std::string_view digest, const std::optional<std::string>& stored,
                             const std::optional<std::string>& manifest) {
  if (manifest && !stored) {
    VERIFIED_RETURN_IF_ERROR(
        WriteFileAtomic(dir + "/" + std::string(kStoredManifestFile), *manifest, 0644));
  }
  // Indexed after the manifest is in place: a create never finds an entry without it.
  if (stored || manifest) {
    VERIFIED_RETURN_IF_ERROR(
        IndexStoredManifest(config_dir, std::string(digest), stored ? *stored : *manifest));
  }
  return Ok();
}

}  // namespace verified::signature
