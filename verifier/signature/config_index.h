// The signature store's index from an image config digest (the image ID) to the signed
// manifests stored with that config: <config-dir>/signatures/by-config/sha256-<config hex>/,
// holding one empty file sha256-<manifest hex> per stored manifest.json whose config is it.
//
// Docker's overlay2 store keeps no manifests, so the only way from the image the store proved
// to a signature is through the manifests imported with the signatures; reading every
// manifest.json at each create would grow with the store. The index is written by
// StoreSignature (under the store's lock) and read with one directory listing. It is a hint,
// never trusted for what it says: every digest it yields is proven again (the manifest must
// hash to its digest and name the config). A missing entry can only make an image unsigned.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"

namespace verified::signature {

/// Most signed manifests indexed under one config.
inline constexpr size_t kMaxManifestsPerConfig = 1024;

/// <config-dir>/signatures/by-config (a name ListSignedDigests skips).
std::string ConfigIndexDir(const std::string& config_dir);

/// The manifest digests indexed under `config_digest` ("sha256:<hex>"), sorted; empty when
/// none. kParse for a malformed digest; kPermission for an untrusted directory (as the store);
/// kUnsafePath naming an entry that is not sha256-<hex>; kTooLarge beyond
/// kMaxManifestsPerConfig.
Result<std::vector<std::string>> SignedManifestsForConfig(const std::string& config_dir,
                                                          std::string_view config_digest);

/// Records that the manifest `manifest_digest`, whose bytes are `manifest`, is stored: when
/// the bytes parse as an image manifest (signed_manifest.h), indexes it under its config
/// digest; an index or an unparseable document is not indexed (it binds no config by itself).
/// The caller holds the store's lock and has checked the bytes hash to the digest. Idempotent.
Status IndexStoredManifest(const std::string& config_dir, std::string_view manifest_digest,
                           std::string_view manifest);

/// Removes what IndexStoredManifest recorded for these bytes (nothing when it recorded
/// nothing or the entry is gone). The caller holds the store's lock.
Status UnindexStoredManifest(const std::string& config_dir, std::string_view manifest_digest,
                             std::string_view manifest);

}  // namespace verified::signature
