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
#include "verifier/signature/manifest_binding.h"

namespace verified::signature {
namespace {

constexpr std::string_view kManifestFile = "manifest.json";
constexpr std::string_view kRecordSuffix = ".json";
constexpr std::string_view kDirPrefix = "sha256-";
// config_index.h's directory, beside the digest directories.
constexpr std::string_view kConfigIndexName = "by-config";

std::string DigestDirName(std::string_view digest) {
  std::string name(kDirPrefix);  // appended: GCC 12 -O3 misreads string + chains (PR105329)
  name += DigestHex(digest);
  return name;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// WriteFileAtomic's temp names (NAME.tmp.XXXXXX): left behind only by a writer that died
// before its rename, never read.
bool IsWriterTempFile(std::string_view name) {
  size_t at = name.rfind(".tmp.");
  return at != std::string_view::npos && at > 0 && name.size() == at + 5 + 6;
}

// Opens `rel` beneath `parent` (no symlink) and applies the trusted-file rule to the open
// directory itself, so nothing can be swapped in between the check and the reads.
Result<Dir> OpenTrustedDir(const Dir& parent, std::string_view rel) {
  VERIFIED_ASSIGN_OR_RETURN(Dir dir, parent.OpenDir(rel));
  struct stat st;
  if (fstat(dir.fd(), &st) != 0) return SysError(errno, "stat " + dir.path());
  VERIFIED_RETURN_IF_ERROR(CheckTrustedStat(st, dir.path()));
  return dir;
}

// The signatures directory, trusted; nullopt when it does not exist.
Result<std::optional<Dir>> OpenStore(const std::string& config_dir) {
  std::string path = SignaturesDir(config_dir);
  Status st = CheckTrustedPath(path);
  if (!st.ok()) {
    if (st.error().kind() == ErrorKind::kNotFound) return std::optional<Dir>();
    return std::move(st).error();
  }
  VERIFIED_ASSIGN_OR_RETURN(Dir dir, Dir::Open(path));
  struct stat sb;
  if (fstat(dir.fd(), &sb) != 0) return SysError(errno, "stat " + path);
  VERIFIED_RETURN_IF_ERROR(CheckTrustedStat(sb, path));
  return std::optional<Dir>(std::move(dir));
}

Result<std::string> ReadTrusted(const Dir& dir, std::string_view name, size_t limit) {
  VERIFIED_ASSIGN_OR_RETURN(int fd, dir.OpenFile(name));
  auto text = ReadTrustedFd(fd, dir.path() + "/" + std::string(name), limit);
  close(fd);
  return text;
}

// Lists and reads one digest's directory: records unparsed, the manifest hash-checked.
Status ReadEntries(const Dir& dir, StoredSignatureFiles& out) {
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names,
                            dir.List("", kMaxSignaturesPerDigest * 4 + 1));
  std::sort(names.begin(), names.end());
  size_t bytes = 0;
  for (const auto& name : names) {
    if (IsWriterTempFile(name)) continue;
    if (name == kManifestFile) {
      VERIFIED_ASSIGN_OR_RETURN(std::string m, ReadTrusted(dir, name, kMaxManifestBytes));
      VERIFIED_RETURN_IF_ERROR_WRAP(VerifyManifestBinding(m, out.digest), "{}/{}", dir.path(),
                                    name);
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
    VERIFIED_ASSIGN_OR_RETURN(std::string text, ReadTrusted(dir, name, kMaxSignatureRecordBytes));
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
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Dir> store, OpenStore(config_dir));
  if (!store) return out;
  std::string name = DigestDirName(out.digest);
  VERIFIED_ASSIGN_OR_RETURN(bool exists, store->Exists(name));
  if (!exists) return out;
  VERIFIED_ASSIGN_OR_RETURN(Dir dir, OpenTrustedDir(*store, name));
  out.dir = dir.path();
  VERIFIED_RETURN_IF_ERROR(ReadEntries(dir, out));
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
  std::vector<std::string> out;
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Dir> store, OpenStore(config_dir));
  if (!store) return out;
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names, store->List("", kMaxSignedDigests));
  for (const auto& name : names) {
    if (name == kConfigIndexName) continue;
    std::string_view hex = std::string_view(name).substr(std::min(name.size(), kDirPrefix.size()));
    if (name.rfind(kDirPrefix, 0) != 0 || !IsHex64(hex)) {
      return MakeError(ErrorKind::kUnsafePath, "{}/{}: not a signed digest (sha256-<hex>)",
                       store->path(), QuoteJsonKey(name));
    }
    out.push_back("sha256:" + std::string(hex));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<bool> StoreSignature(const std::string& config_dir, const SignatureRecord& record,
                            const std::optional<std::string>& manifest) {
  std::string text = SerializeSignatureRecord(record);
  VERIFIED_RETURN_IF_ERROR_WRAP(ParseSignatureRecord(text), "storing a signature");
  if (manifest) VERIFIED_RETURN_IF_ERROR(VerifyManifestBinding(*manifest, record.digest));
  std::string store = SignaturesDir(config_dir);
  VERIFIED_RETURN_IF_ERROR(MakeDirs(store));
  VERIFIED_RETURN_IF_ERROR(CheckTrustedPath(store));
  VERIFIED_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(config_dir + "/.lock"));
  std::string dir = store + "/" + DigestDirName(record.digest);
  VERIFIED_RETURN_IF_ERROR(MakeDirs(dir));
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
  if (manifest && !stored.manifest) {
    VERIFIED_RETURN_IF_ERROR(
        WriteFileAtomic(dir + "/" + std::string(kManifestFile), *manifest, 0644));
  }
  // Indexed after the manifest is in place (and again on every import, so a store written
  // before the index existed fills in): a create never finds an entry without its manifest.
  if (stored.manifest || manifest) {
    VERIFIED_RETURN_IF_ERROR(IndexStoredManifest(config_dir, record.digest,
                                                 stored.manifest ? *stored.manifest : *manifest));
  }
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
  auto manifest = handle.ReadFile(kManifestFile, kMaxManifestBytes);
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
