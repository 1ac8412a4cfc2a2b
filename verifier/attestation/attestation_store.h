// The host's imported attestations: <config-dir>/attestations/sha256-<hex>/, one directory
// per attested manifest digest (a subject of the Statement), holding
//
//   <id>.json       one attestation bundle file as imported, byte for byte; <id> is the hex
//                   sha256 of those bytes, so an edited file no longer matches its name
//   manifest.json   optional: the manifest bytes, which must hash to the digest (for engines
//                   that keep no manifest, such as Docker's overlay2 store); indexed under
//                   its config digest in the signatures' by-config index
//                   (signature/config_index.h), which is only ever a hint
//
// The same rules as the signature store (signature/signature_store.h): directories and files
// trusted (root-owned, not group/world-writable, no symlink, opened beneath the store without
// following links), writers serialise on <config-dir>/.lock and replace files atomically,
// readers take no lock, and reading fails closed (an unknown entry, a file that does not
// match its name, an untrusted file is an error naming it). Nothing here is verified.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/signedpolicy/statement_cache.h"

namespace verified::attestation {

/// Most attestations stored for one digest.
inline constexpr size_t kMaxAttestationsPerDigest = 64;
/// Most bytes (bundles and manifest) stored for one digest.
inline constexpr size_t kMaxAttestationBytesPerDigest = 128 * 1024 * 1024;
/// Most digests the store may hold.
inline constexpr size_t kMaxAttestedDigests = 100000;

/// <config-dir>/attestations.
std::string AttestationsDir(const std::string& config_dir);

/// One stored bundle.
struct StoredAttestation {
  std::string id;      ///< hex sha256 of `bundle`
  std::string bundle;  ///< the bundle file's bytes
  std::string path;    ///< where it is stored (for messages)
};

/// What the store holds for one digest.
struct StoredAttestations {
  std::string digest;                      ///< "sha256:<hex>"
  std::optional<std::string> manifest;     ///< manifest.json, checked to hash to `digest`
  std::vector<StoredAttestation> bundles;  ///< sorted by id
};

/// Reads everything stored for `digest`. Empty when nothing is. kParse for a malformed digest;
/// kPermission for an untrusted directory or file; kIntegrity naming the file when a bundle
/// does not hash to its name or the manifest not to the digest; kUnsafePath naming an unknown
/// entry (writer temp files NAME.tmp.XXXXXX are skipped); kTooLarge beyond the limits.
Result<StoredAttestations> AttestationsFor(const std::string& config_dir, std::string_view digest);

/// One stored bundle file, listed but not read (a create that finds its verification in the
/// attestation cache never reads it).
struct StoredAttestationFile {
  std::string id;                 ///< the file's name without ".json": its bytes' hex sha256
  std::string path;               ///< where it is stored (for messages)
  signedpolicy::FileStamp stamp;  ///< its lstat identity, the trust rule applied
};

/// What the store holds for one digest, bundles unread.
struct StoredAttestationFiles {
  std::string digest;                        ///< "sha256:<hex>"
  std::optional<std::string> manifest;       ///< manifest.json, checked to hash to `digest`
  std::vector<StoredAttestationFile> files;  ///< sorted by id
};

/// AttestationsFor without reading the bundles: each is lstat'ed beneath the store (no
/// symlink followed) and must be trusted, a regular file and within kMaxAttestationBundleBytes;
/// the manifest is read and checked. The same errors as AttestationsFor, except that a bundle
/// whose bytes do not hash to its name is found only when ReadStoredAttestation reads it.
Result<StoredAttestationFiles> AttestationFilesFor(const std::string& config_dir,
                                                   std::string_view digest);

/// Reads one file AttestationFilesFor listed for `digest` and checks that its bytes hash to its
/// name. `stamp` receives the identity of the file read, taken on the open descriptor before
/// and after the read (nullopt when they differ: it changed while read). kIntegrity naming the
/// file when the bytes do not match the name; the open and trust errors of AttestationsFor.
Result<std::string> ReadStoredAttestation(const std::string& config_dir, std::string_view digest,
                                          const StoredAttestationFile& file,
                                          std::optional<signedpolicy::FileStamp>& stamp);

/// The digests the store holds, sorted; empty when the directory does not exist. kPermission
/// when it is untrusted; kUnsafePath naming an entry that is not sha256-<hex>.
Result<std::vector<std::string>> ListAttestedDigests(const std::string& config_dir);

/// Stores `bundle` under `digest` with `manifest` (when given and none is stored yet; it must
/// hash to the digest, kIntegrity) and indexes the manifest by its config. Creates the
/// directories 0755, files 0644. False when the same bundle was already stored. The caller
/// verifies the bundle first. kTooLarge beyond the per-digest limits; AttestationsFor's errors
/// when what is stored is broken.
Result<bool> StoreAttestation(const std::string& config_dir, std::string_view digest,
                              std::string_view bundle, const std::optional<std::string>& manifest);

}  // namespace verified::attestation
