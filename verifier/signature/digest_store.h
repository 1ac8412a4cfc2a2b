// What the two trusted, digest-indexed stores of the config dir share: the image signatures
// (signature_store.h, <config-dir>/signatures) and the attestations
// (attestation/attestation_store.h, <config-dir>/attestations). Each holds one directory per
// manifest digest, sha256-<hex>, with the entries of its kind and an optional manifest.json
// (the manifest bytes, which must hash to the digest, indexed by config in config_index.h).
//
// The rules, the same for both: every directory and file trusted (trusted_file.h: root-owned,
// not group/world-writable, no symlink), directories opened beneath the store without following
// links and checked on the open handle; readers take no lock and skip only writer temp files
// (atomic_file.h's NAME.tmp.XXXXXX); writers serialise on <config-dir>/.lock and replace files
// atomically; the manifest is written before it is indexed, so a create never finds an index
// entry without its manifest.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"

namespace verified::signature {

/// The manifest's name in a digest directory.
inline constexpr std::string_view kStoredManifestFile = "manifest.json";

/// "sha256-<hex>" for "sha256:<hex>".
std::string DigestDirName(std::string_view digest);

/// True for WriteFileAtomic's temp names (NAME.tmp.XXXXXX), left only by a writer that died
/// before its rename; readers skip them.
bool IsWriterTempFile(std::string_view name);

/// The store directory at `path`, trusted (checked on the path and on the open handle);
/// nullopt when it does not exist. kPermission when untrusted.
Result<std::optional<Dir>> OpenTrustedStore(const std::string& path);

/// The directory of `digest` ("sha256:<hex>", already parsed) in `store`, opened beneath it
/// without following links and trusted; nullopt when absent.
Result<std::optional<Dir>> OpenDigestDir(const Dir& store, std::string_view digest);

/// Reads the regular file `name` of `dir` (no symlink), trusted, at most `limit` bytes.
Result<std::string> ReadTrustedEntry(const Dir& dir, std::string_view name, size_t limit);

/// Reads `dir`'s manifest.json and checks that it hashes to `digest` and parses as a manifest
/// (manifest_binding.h); errors name the file.
Result<std::string> ReadStoredManifest(const Dir& dir, std::string_view digest);

/// The digests of the directories in `store` (at most `max`), sorted, skipping `skip` (""
/// skips nothing). kUnsafePath naming an entry that is not sha256-<hex>, saying it is not
/// "<what> (sha256-<hex>)".
Result<std::vector<std::string>> ListDigestDirs(const Dir& store, size_t max, std::string_view skip,
                                                std::string_view what);

/// A writer's hold on a digest directory: the config dir's lock, the directory created.
struct DigestDirWriter {
  FileLock lock;
  std::string dir;  ///< <store>/sha256-<hex>
};

/// Creates `store` (0755) and checks it is trusted, takes <config-dir>/.lock, then creates the
/// directory of `digest` in it.
Result<DigestDirWriter> BeginDigestWrite(const std::string& config_dir, const std::string& store,
                                         std::string_view digest);

/// Writes `manifest` as `dir`'s manifest.json when given and none is `stored` yet, then indexes
/// whichever manifest the directory holds by its config (IndexStoredManifest), on every write
/// so that a store written before the index existed fills in.
Status WriteManifestAndIndex(const std::string& config_dir, const std::string& dir,
                             std::string_view digest, const std::optional<std::string>& stored,
                             const std::optional<std::string>& manifest);

}  // namespace verified::signature
