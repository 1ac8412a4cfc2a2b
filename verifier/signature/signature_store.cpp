#include "verifier/signature/signature_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "verifier/core/go_json_keys.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/image/digest.h"
#include "verifier/signature/config_index.h"
#include "verifier/signature/digest_store.h"
#include "verifier/signature/manifest_binding.h"

namespace verified::signature {
namespace {

constexpr std::string_view kRecordSuffix = ".json";
// config_index.h's directory, beside the digest directories.
constexpr std::string_view kConfigIndexName = "by-config";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Lists and reads one digest's directory: records unparsed, the manifest hash-checked.
Status ReadEntries(const Dir& dir, StoredSignatureFiles& out) {
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names,
                            dir.List("", kMaxSignaturesPerDigest * 4 + 1));
  std::sort(names.begin(), names.end());
  size_t bytes = 0;
  for (const auto& name : names) {
    if (IsWriterTempFile(name)) continue;
    if (name == kStoredManifestFile) {
      VERIFIED_ASSIGN_OR_RETURN(std::string m, ReadStoredManifest(dir, out.digest));
      bytes += m.size();
      out.manifest = std::move(m);
      continue;
    }
    if (!EndsWith(name, kRecordSuffix) ||
        !IsHex64(std::string_view(name).substr(0, name.size() - kRecordSuffix.size()))) {
      return MakeError(ErrorKind::kUnsafePath,
                       "{}/{}: not a signature record (<sha256 hex>.json) nor manifest.json",
                       dir.path(), QuoteJsonKey(name));
    }
    if (out.records.size() == kMaxSignaturesPerDigest) {
      return MakeError(ErrorKind::kTooLarge, "{}: more than {} signatures", dir.path(),
                       kMaxSignaturesPerDigest);
    }
    VERIFIED_ASSIGN_OR_RETURN(std::string text,
                              ReadTrustedEntry(dir, name, kMaxSignatureRecordBytes));
    bytes += text.size();
    out.records.push_back(StoredRecordFile{name, std::move(text)});
  }
  if (bytes > kMaxRecordFileBytesPerDigest) {
    return MakeError(ErrorKind::kTooLarge, "{}: {} bytes of signatures exceeds the {} byte limit",
                     dir.path(), bytes, kMaxRecordFileBytesPerDigest);
  }
  return Ok();
}

}  // namespace

std::string SignaturesDir(const std::string& config_dir) { return config_dir + "/signatures"; }

Result<StoredSignatureFiles> SignatureFilesFor(const std::string& config_dir,
                                               std::string_view digest) {
  StoredSignatureFiles out;
  VERIFIED_ASSIGN_OR_RETURN(out.digest, ParseDigest(digest, "signed digest"));
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Dir> store, OpenTrustedStore(SignaturesDir(config_dir)));
  if (!store) return out;
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Dir> dir, OpenDigestDir(*store, out.digest));
  if (!dir) return out;
  out.dir = dir->path();
  VERIFIED_RETURN_IF_ERROR(ReadEntries(*dir, out));
  return out;
}

Result<SignatureRecord> ParseStoredRecord(const StoredSignatureFiles& files,
                                          const StoredRecordFile& file) {
  std::string path = files.dir + "/" + file.name;
  VERIFIED_ASSIGN_OR_WRAP(SignatureRecord record, ParseSignatureRecord(file.text), "{}", path);
  if (record.digest != files.digest) {
    return MakeError(ErrorKind::kIntegrity, "{}: a record for {} stored under {}", path,
                     record.digest, files.digest);
  }
  std::string id = SignatureRecordId(record);
  if (file.name != id + std::string(kRecordSuffix)) {
    return MakeError(ErrorKind::kIntegrity,
                     "{}: its content has id {}, not its name (edited after import?)", path, id);
  }
  return record;
}

Result<StoredSignatures> SignaturesFor(const std::string& config_dir, std::string_view digest) {
  VERIFIED_ASSIGN_OR_RETURN(StoredSignatureFiles files, SignatureFilesFor(config_dir, digest));
  StoredSignatures out{files.digest, std::move(files.manifest), {}};
  size_t bytes = out.manifest ? out.manifest->size() : 0;
  for (const auto& f : files.records) {
    VERIFIED_ASSIGN_OR_RETURN(SignatureRecord r, ParseStoredRecord(files, f));
    bytes += r.payload.size() + r.signature_base64.size() + r.bundle.size();
    out.records.push_back(std::move(r));
  }
  if (bytes > kMaxSignatureBytesPerDigest) {
    return MakeError(ErrorKind::kTooLarge, "{}: {} bytes of signatures exceeds the {} byte limit",
                     files.dir, bytes, kMaxSignatureBytesPerDigest);
  }
  return out;
}

Result<std::vector<std::string>> ListSignedDigests(const std::string& config_dir) {
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Dir> store, OpenTrustedStore(SignaturesDir(config_dir)));
  if (!store) return std::vector<std::string>();
  return ListDigestDirs(*store, kMaxSignedDigests, kConfigIndexName, "a signed digest");
}

Result<bool> StoreSignature(const std::string& config_dir, const SignatureRecord& record,
                            const std::optional<std::string>& manifest) {
  std::string text = SerializeSignatureRecord(record);
  VERIFIED_RETURN_IF_ERROR_WRAP(ParseSignatureRecord(text), "storing a signature");
  if (manifest) VERIFIED_RETURN_IF_ERROR(VerifyManifestBinding(*manifest, record.digest));
  VERIFIED_ASSIGN_OR_RETURN(DigestDirWriter writer,
                            BeginDigestWrite(config_dir, SignaturesDir(config_dir), record.digest));
  const std::string& dir = writer.dir;
  VERIFIED_ASSIGN_OR_RETURN(StoredSignatures stored, SignaturesFor(config_dir, record.digest));
  std::string id = SignatureRecordId(record);
  bool have = std::any_of(stored.records.begin(), stored.records.end(),
                          [&](const SignatureRecord& r) { return SignatureRecordId(r) == id; });
  size_t bytes = text.size() + (manifest && !stored.manifest ? manifest->size() : 0);
  for (const auto& r : stored.records)
    bytes += r.payload.size() + r.signature_base64.size() + r.bundle.size();
  if (stored.manifest) bytes += stored.manifest->size();
  if (!have &&
      (stored.records.size() >= kMaxSignaturesPerDigest || bytes > kMaxSignatureBytesPerDigest)) {
    return MakeError(ErrorKind::kTooLarge,
                     "{}: storing another signature would exceed the limit of {} signatures or "
                     "{} bytes per digest",
                     dir, kMaxSignaturesPerDigest, kMaxSignatureBytesPerDigest);
  }
  VERIFIED_RETURN_IF_ERROR(
      WriteManifestAndIndex(config_dir, dir, record.digest, stored.manifest, manifest));
  if (have) return false;
  VERIFIED_RETURN_IF_ERROR(
      WriteFileAtomic(dir + "/" + id + std::string(kRecordSuffix), text, 0644));
  return true;
}

Result<bool> RemoveSignatures(const std::string& config_dir, std::string_view digest) {
  VERIFIED_ASSIGN_OR_RETURN(std::string d, ParseDigest(digest, "signed digest"));
  std::string store = SignaturesDir(config_dir);
  std::string dir = store + "/" + DigestDirName(d);
  struct stat st;
  if (lstat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT) return false;
    return SysError(errno, "stat " + dir);
  }
  VERIFIED_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(config_dir + "/.lock"));
  if (lstat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT) return false;  // removed by another writer meanwhile
    return SysError(errno, "stat " + dir);
  }
  if (!S_ISDIR(st.st_mode)) {
    return MakeError(ErrorKind::kUnsafePath, "{} is not a directory: remove it by hand", dir);
  }
  VERIFIED_ASSIGN_OR_RETURN(Dir handle, Dir::Open(dir));
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names,
                            handle.List("", kMaxSignaturesPerDigest * 16));
  // The index entry goes first: it must never outlive the manifest it points at (a stale one
  // would only make a create look for signatures that are gone, but keep the index exact).
  auto manifest = handle.ReadFile(kStoredManifestFile, kMaxManifestBytes);
  if (manifest.ok()) VERIFIED_RETURN_IF_ERROR(UnindexStoredManifest(config_dir, d, *manifest));
  // unlinkat on the open directory: a symlink among the entries is removed, never followed.
  for (const auto& name : names) {
    if (unlinkat(handle.fd(), name.c_str(), 0) != 0) {
      return SysError(errno, fmt::format("remove {}/{}", dir, name));
    }
  }
  if (rmdir(dir.c_str()) != 0) return SysError(errno, "remove " + dir);
  VERIFIED_ASSIGN_OR_RETURN(Dir parent, Dir::Open(store));
  if (fsync(parent.fd()) != 0) return SysError(errno, "fsync " + store);
  return true;
}

}  // namespace verified::signature
