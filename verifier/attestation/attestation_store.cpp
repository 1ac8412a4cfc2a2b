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
#include "verifier/signature/digest_store.h"
#include "verifier/signature/manifest_binding.h"

namespace verified::attestation {
namespace {

constexpr std::string_view kSuffix = ".json";

using signature::kStoredManifestFile;

// One entry of a digest's directory: the manifest is read and checked, a bundle only lstat'ed
// (read by ReadBundle, or never when the attestation cache vouches for it).
Status ListEntry(const Dir& dir, const std::string& name, size_t& bytes,
                 StoredAttestationFiles& out) {
  std::string path = dir.path() + "/" + name;
  if (name == kStoredManifestFile) {
    VERIFIED_ASSIGN_OR_RETURN(std::string m, signature::ReadStoredManifest(dir, out.digest));
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
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Dir> store,
                            signature::OpenTrustedStore(AttestationsDir(config_dir)));
  if (!store) return std::optional<Dir>();
  return signature::OpenDigestDir(*store, digest);
}

Status ListDigestDir(const Dir& dir, StoredAttestationFiles& out) {
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names,
                            dir.List("", kMaxAttestationsPerDigest * 4 + 1));
  std::sort(names.begin(), names.end());
  size_t bytes = 0;
  for (const auto& n : names) {
    if (signature::IsWriterTempFile(n)) continue;
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
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Dir> store,
                            signature::OpenTrustedStore(AttestationsDir(config_dir)));
  if (!store) return std::vector<std::string>();
  return signature::ListDigestDirs(*store, kMaxAttestedDigests, "", "an attested digest");
}

Result<bool> StoreAttestation(const std::string& config_dir, std::string_view digest,
                              std::string_view bundle, const std::optional<std::string>& manifest) {
  VERIFIED_ASSIGN_OR_RETURN(std::string d, ParseDigest(digest, "attested digest"));
  if (bundle.size() > kMaxAttestationBundleBytes) {
    return MakeError(ErrorKind::kTooLarge, "attestation bundle of {} bytes exceeds {} bytes",
                     bundle.size(), kMaxAttestationBundleBytes);
  }
  if (manifest) VERIFIED_RETURN_IF_ERROR(signature::VerifyManifestBinding(*manifest, d));
  VERIFIED_ASSIGN_OR_RETURN(
      signature::DigestDirWriter writer,
      signature::BeginDigestWrite(config_dir, AttestationsDir(config_dir), d));
  const std::string& dir = writer.dir;
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
  VERIFIED_RETURN_IF_ERROR(
      signature::WriteManifestAndIndex(config_dir, dir, d, stored.manifest, manifest));
  if (have) return false;
  VERIFIED_RETURN_IF_ERROR(WriteFileAtomic(dir + "/" + id + std::string(kSuffix), bundle, 0644));
  return true;
}

}  // namespace verified::attestation
