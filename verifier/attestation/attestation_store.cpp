#include "verifier/attestation/attestation_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "verifier/attestation/attestation_bundle.h"
#include "verifier/core/go_json_keys.h"
#include "verifier/crypto/sha256.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/image/digest.h"
#include "verifier/signature/config_index.h"
#include "verifier/signature/manifest_binding.h"

namespace verified::attestation {
namespace {

constexpr std::string_view kManifestFile = "manifest.json";
constexpr std::string_view kSuffix = ".json";
constexpr std::string_view kDirPrefix = "sha256-";

std::string DigestDirName(std::string_view digest) {
  std::string name(kDirPrefix);  // appended: GCC 12 -O3 misreads string + chains (PR105329)
  name += DigestHex(digest);
  return name;
}

// WriteFileAtomic's temp names (NAME.tmp.XXXXXX), left only by a writer that died.
bool IsWriterTempFile(std::string_view name) {
  size_t at = name.rfind(".tmp.");
  return at != std::string_view::npos && at > 0 && name.size() == at + 5 + 6;
}

Status CheckDirFd(const Dir& dir) {
  struct stat st;
  if (fstat(dir.fd(), &st) != 0) return SysError(errno, "stat " + dir.path());
  return CheckTrustedStat(st, dir.path());
}

// The store directory, trusted (checked on the open handle); nullopt when absent.
Result<std::optional<Dir>> OpenStore(const std::string& config_dir) {
  std::string path = AttestationsDir(config_dir);
  Status st = CheckTrustedPath(path);
  if (!st.ok()) {
    if (st.error().kind() == ErrorKind::kNotFound) return std::optional<Dir>();
    return std::move(st).error();
  }
  VERIFIED_ASSIGN_OR_RETURN(Dir dir, Dir::Open(path));
  VERIFIED_RETURN_IF_ERROR(CheckDirFd(dir));
  return std::optional<Dir>(std::move(dir));
}

Result<std::string> ReadTrusted(const Dir& dir, std::string_view name, size_t limit) {
  VERIFIED_ASSIGN_OR_RETURN(int fd, dir.OpenFile(name));
  auto text = ReadTrustedFd(fd, dir.path() + "/" + std::string(name), limit);
  close(fd);
  return text;
}

// One entry of a digest's directory: the manifest is read and checked, a bundle only lstat'ed
// (read by ReadBundle, or never when the attestation cache vouches for it).
Status ListEntry(const Dir& dir, const std::string& name, size_t& bytes,
                 StoredAttestationFiles& out) {
  std::string path = dir.path() + "/" + name;
  if (name == kManifestFile) {
    VERIFIED_ASSIGN_OR_RETURN(std::string m, ReadTrusted(dir, name, signature::kMaxManifestBytes));
    VERIFIED_RETURN_IF_ERROR_WRAP(signature::VerifyManifestBinding(m, out.digest), "{}", path);
    bytes += m.size();
    out.manifest = std::move(m);
    return Ok();
  }
  std::string_view hex = std::string_view(name).substr(0, name.size() - kSuffix.size());
  if (name.size() <= kSuffix.size() || name.substr(name.size() - kSuffix.size()) != kSuffix ||
      !IsHex64(hex)) {
    return MakeError(ErrorKind::kUnsafePath,
                     "{}: not an attestation (<sha256 hex>.json) nor manifest.json",
                     dir.path() + "/" + QuoteJsonKey(name));
  }
  if (out.files.size() == kMaxAttestationsPerDigest) {
    return MakeError(ErrorKind::kTooLarge, "{}: more than {} attestations", dir.path(),
                     kMaxAttestationsPerDigest);
  }
  VERIFIED_ASSIGN_OR_RETURN(struct stat st, dir.Lstat(name));
  VERIFIED_RETURN_IF_ERROR(CheckTrustedStat(st, path));
  if (!S_ISREG(st.st_mode)) {
    return MakeError(ErrorKind::kUnsafePath, "{}: not a regular file", path);
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxAttestationBundleBytes) {
    return MakeError(ErrorKind::kTooLarge, "{}: more than {} bytes", path,
                     kMaxAttestationBundleBytes);
  }
  bytes += static_cast<size_t>(st.st_size);
  out.files.push_back({std::string(hex), path, signedpolicy::StampOf(st)});
  return Ok();
}

// A listed bundle's bytes, checked against its name; `stamp` is the descriptor's identity when
// it did not change during the read.
Result<std::string> ReadBundle(const Dir& dir, const StoredAttestationFile& file,
                               std::optional<signedpolicy::FileStamp>& stamp) {
  stamp.reset();
  VERIFIED_ASSIGN_OR_RETURN(int fd, dir.OpenFile(file.id + std::string(kSuffix)));
  struct stat before, after;
  if (fstat(fd, &before) != 0) {
    int err = errno;
    close(fd);
    return SysError(err, "stat " + file.path);
  }
  auto text = ReadTrustedFd(fd, file.path, kMaxAttestationBundleBytes);
  bool same =
      fstat(fd, &after) == 0 && signedpolicy::StampOf(before) == signedpolicy::StampOf(after);
  close(fd);
  if (!text.ok()) return std::move(text).error();
  std::string id = Sha256Hex(*text);
  if (id != file.id) {
    return MakeError(ErrorKind::kIntegrity,
                     "{}: its content hashes to {}, not its name (edited after import?)", file.path,
                     id);
  }
  if (same) stamp = signedpolicy::StampOf(before);
  return text;
}

// The directory of `digest` in the store; nullopt when nothing is stored for it.
Result<std::optional<Dir>> OpenDigestDir(const std::string& config_dir, const std::string& digest) {
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Dir> store, OpenStore(config_dir));
  if (!store) return std::optional<Dir>();
  std::string name = DigestDirName(digest);
  VERIFIED_ASSIGN_OR_RETURN(bool exists, store->Exists(name));
  if (!exists) return std::optional<Dir>();
  VERIFIED_ASSIGN_OR_RETURN(Dir dir, store->OpenDir(name));
  VERIFIED_RETURN_IF_ERROR(CheckDirFd(dir));
  return std::optional<Dir>(std::move(dir));
}

Status ListDigestDir(const Dir& dir, StoredAttestationFiles& out) {
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names,
                            dir.List("", kMaxAttestationsPerDigest * 4 + 1));
  std::sort(names.begin(), names.end());
  size_t bytes = 0;
  for (const auto& n : names) {
    if (IsWriterTempFile(n)) continue;
    VERIFIED_RETURN_IF_ERROR(ListEntry(dir, n, bytes, out));
    if (bytes > kMaxAttestationBytesPerDigest) {
      return MakeError(ErrorKind::kTooLarge, "{}: more than {} bytes of attestations", dir.path(),
                       kMaxAttestationBytesPerDigest);
    }
  }
  return Ok();
}

}  // namespace

std::string AttestationsDir(const std::string& config_dir) { return config_dir + "/attestations"; }

Result<StoredAttestationFiles> AttestationFilesFor(const std::string& config_dir,
                                                   std::string_view digest) {
  StoredAttestationFiles out;
  VERIFIED_ASSIGN_OR_RETURN(out.digest, ParseDigest(digest, "attested digest"));
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Dir> dir, OpenDigestDir(config_dir, out.digest));
  if (dir) VERIFIED_RETURN_IF_ERROR(ListDigestDir(*dir, out));
  return out;
}

Result<std::string> ReadStoredAttestation(const std::string& config_dir, std::string_view digest,
                                          const StoredAttestationFile& file,
                                          std::optional<signedpolicy::FileStamp>& stamp) {
  VERIFIED_ASSIGN_OR_RETURN(std::string d, ParseDigest(digest, "attested digest"));
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Dir> dir, OpenDigestDir(config_dir, d));
  if (!dir) {
    return MakeError(ErrorKind::kNotFound, "{}: no longer stored", file.path);
  }
  return ReadBundle(*dir, file, stamp);
}

Result<StoredAttestations> AttestationsFor(const std::string& config_dir, std::string_view digest) {
  StoredAttestations out;
  StoredAttestationFiles files;
  VERIFIED_ASSIGN_OR_RETURN(files.digest, ParseDigest(digest, "attested digest"));
  out.digest = files.digest;
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Dir> dir, OpenDigestDir(config_dir, files.digest));
  if (!dir) return out;
  VERIFIED_RETURN_IF_ERROR(ListDigestDir(*dir, files));
  out.manifest = std::move(files.manifest);
  for (const auto& f : files.files) {
    std::optional<signedpolicy::FileStamp> stamp;
    VERIFIED_ASSIGN_OR_RETURN(std::string bundle, ReadBundle(*dir, f, stamp));
    out.bundles.push_back({f.id, std::move(bundle), f.path});
  }
  return out;
}

Result<std::vector<std::string>> ListAttestedDigests(const std::string& config_dir) {
  std::vector<std::string> out;
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Dir> store, OpenStore(config_dir));
  if (!store) return out;
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names, store->List("", kMaxAttestedDigests));
  for (const auto& name : names) {
    std::string_view hex = std::string_view(name).substr(std::min(name.size(), kDirPrefix.size()));
    if (name.rfind(kDirPrefix, 0) != 0 || !IsHex64(hex)) {
      return MakeError(ErrorKind::kUnsafePath, "{}/{}: not an attested digest (sha256-<hex>)",
                       store->path(), QuoteJsonKey(name));
    }
    out.push_back("sha256:" + std::string(hex));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<bool> StoreAttestation(const std::string& config_dir, std::string_view digest,
                              std::string_view bundle, const std::optional<std::string>& manifest) {
  VERIFIED_ASSIGN_OR_RETURN(std::string d, ParseDigest(digest, "attested digest"));
  if (bundle.size() > kMaxAttestationBundleBytes) {
    return MakeError(ErrorKind::kTooLarge, "attestation bundle of {} bytes exceeds {} bytes",
                     bundle.size(), kMaxAttestationBundleBytes);
  }
  if (manifest) VERIFIED_RETURN_IF_ERROR(signature::VerifyManifestBinding(*manifest, d));
  std::string store = AttestationsDir(config_dir);
  VERIFIED_RETURN_IF_ERROR(MakeDirs(store));
  VERIFIED_RETURN_IF_ERROR(CheckTrustedPath(store));
  VERIFIED_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(config_dir + "/.lock"));
  std::string dir = store + "/" + DigestDirName(d);
  VERIFIED_RETURN_IF_ERROR(MakeDirs(dir));
  VERIFIED_ASSIGN_OR_RETURN(StoredAttestations stored, AttestationsFor(config_dir, d));
  std::string id = Sha256Hex(bundle);
  bool have = std::any_of(stored.bundles.begin(), stored.bundles.end(),
                          [&](const StoredAttestation& a) { return a.id == id; });
  size_t bytes = bundle.size() + (manifest && !stored.manifest ? manifest->size() : 0);
  for (const auto& a : stored.bundles) bytes += a.bundle.size();
  if (stored.manifest) bytes += stored.manifest->size();
  if (!have && (stored.bundles.size() >= kMaxAttestationsPerDigest ||
                bytes > kMaxAttestationBytesPerDigest)) {
    return MakeError(ErrorKind::kTooLarge,
                     "{}: another attestation would exceed {} attestations or {} bytes per digest",
                     dir, kMaxAttestationsPerDigest, kMaxAttestationBytesPerDigest);
  }
  if (manifest && !stored.manifest) {
    VERIFIED_RETURN_IF_ERROR(
        WriteFileAtomic(dir + "/" + std::string(kManifestFile), *manifest, 0644));
  }
  // Indexed after the manifest is in place: a create never finds an entry without it.
  if (stored.manifest || manifest) {
    VERIFIED_RETURN_IF_ERROR(signature::IndexStoredManifest(
        config_dir, d, stored.manifest ? *stored.manifest : *manifest));
  }
  if (have) return false;
  VERIFIED_RETURN_IF_ERROR(WriteFileAtomic(dir + "/" + id + std::string(kSuffix), bundle, 0644));
  return true;
}

}  // namespace verified::attestation
