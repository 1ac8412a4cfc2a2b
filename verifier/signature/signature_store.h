// The host's imported image signatures: <config-dir>/signatures/sha256-<hex>/, one directory
// per signed manifest digest, holding
//
//   <id>.json       one record per signature (signature_record.h; <id> = SignatureRecordId)
//   manifest.json   optional: the manifest bytes, which must hash to the digest (for engines
//                   that keep no manifest, such as Docker's overlay2 store)
//
// Like the keys and the registrations, the directories and files must be trusted
// (verifier/fs/trusted_file.h); writers serialise on <config-dir>/.lock and replace files
// atomically (verifier/fs/atomic_file.h); readers take no lock. Reading fails closed: a record
// that does not parse, does not match its name, is untrusted or a symlink, or an unknown entry
// is an error naming it, never skipped. Records are not verified here (VerifySignatureRecord).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/signature/signature_record.h"

namespace verified::signature {

/// Most signatures stored for one digest.
inline constexpr size_t kMaxSignaturesPerDigest = 64;
/// Most bytes (records and manifest) stored for one digest.
inline constexpr size_t kMaxSignatureBytesPerDigest = 16 * 1024 * 1024;
/// Most digests the store may hold.
inline constexpr size_t kMaxSignedDigests = 100000;

/// <config-dir>/signatures.
std::string SignaturesDir(const std::string& config_dir);

/// What the store holds for one digest.
struct StoredSignatures {
  std::string digest;                    ///< "sha256:<hex>"
  std::optional<std::string> manifest;   ///< manifest.json, checked to hash to `digest`
  std::vector<SignatureRecord> records;  ///< sorted by id
};

/// One record file as stored, not parsed (ParseStoredRecord parses it).
struct StoredRecordFile {
  std::string name;  ///< "<id>.json"
  std::string text;  ///< the file's bytes (at most kMaxSignatureRecordBytes)
};

/// What the store holds for one digest, its records unparsed.
struct StoredSignatureFiles {
  std::string digest;                     ///< "sha256:<hex>"
  std::string dir;                        ///< the digest's directory (for messages)
  std::optional<std::string> manifest;    ///< manifest.json, checked to hash to `digest`
  std::vector<StoredRecordFile> records;  ///< sorted by name
};

/// Most bytes of record files read for one digest: kMaxSignatureBytesPerDigest of material in
/// base64 plus each record's other members, so a store SignaturesFor accepts is never refused.
inline constexpr size_t kMaxRecordFileBytesPerDigest =
    kMaxSignatureBytesPerDigest / 3 * 4 + kMaxSignaturesPerDigest * 4096;

/// SignaturesFor without parsing the records: the same directory, trust, naming and manifest
/// checks and errors, the per-file limits, and kMaxRecordFileBytesPerDigest over the record
/// files and manifest read. For a caller that can tell, from a file's bytes, that it parsed
/// them before (a cache keyed by their hash) and parses the others with ParseStoredRecord.
Result<StoredSignatureFiles> SignatureFilesFor(const std::string& config_dir,
                                               std::string_view digest);

/// Parses a file of `files` as SignaturesFor does: ParseSignatureRecord's errors, kIntegrity
/// when its content does not match its name or the digest it is stored under; each naming
/// the file.
Result<SignatureRecord> ParseStoredRecord(const StoredSignatureFiles& files,
                                          const StoredRecordFile& file);

/// Reads everything stored for `digest` ("sha256:<hex>"). Empty (no manifest, no records) when
/// nothing is stored. kParse for a malformed digest; kPermission for an untrusted directory or
/// file (symlinks included); kIntegrity naming the file for a record whose content does not
/// match its name or its directory's digest, or a manifest that does not hash to the digest;
/// ParseSignatureRecord's errors naming the file; kUnsafePath naming an entry that is neither a
/// record nor manifest.json (temp files of an interrupted writer, NAME.tmp.XXXXXX, are
/// skipped); kTooLarge beyond the per-file or per-digest limits.
Result<StoredSignatures> SignaturesFor(const std::string& config_dir, std::string_view digest);

/// The digests the store holds, sorted. Empty when the signatures directory does not exist.
/// kPermission when it is untrusted; kUnsafePath naming an entry that is not sha256-<hex>;
/// kTooLarge beyond kMaxSignedDigests.
Result<std::vector<std::string>> ListSignedDigests(const std::string& config_dir);

/// Stores `record` under record.digest, with `manifest` (when given, and none is stored yet)
/// as manifest.json; creates the directories (0755), files mode 0644. Returns false when the
/// same record was already stored (nothing written). The caller verifies the signature first;
/// this checks only the form: the record must serialise to a parseable record, a manifest must
/// hash to the digest (kIntegrity), and the per-digest limits hold (kTooLarge). Fails like
/// SignaturesFor when what is already stored is broken.
Result<bool> StoreSignature(const std::string& config_dir, const SignatureRecord& record,
                            const std::optional<std::string>& manifest);

/// Removes everything stored for `digest` (its directory). False when nothing was stored.
/// kParse for a malformed digest; kUnsafePath when the entry is not a directory.
Result<bool> RemoveSignatures(const std::string& config_dir, std::string_view digest);

}  // namespace verified::signature
