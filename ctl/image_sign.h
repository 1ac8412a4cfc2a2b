// What `verifiedctl sign` does, without argv: picks the manifest that stands for a local image
// (verifier/signature/image_manifest.h), signs it in the cosign simple-signing format with a
// private key file, stores the signature with that manifest in the signature store, and
// optionally writes the files `cosign verify-blob` / `openssl dgst -verify` check.
#pragma once

#include <string>

#include "verifier/core/result.h"
#include "verifier/signature/image_manifest.h"
#include "verifier/signature/signature_record.h"
#include "verifier/store/resolved_image.h"

namespace verified::ctl {

/// How to sign.
struct SignRequest {
  std::string key_file;    ///< unencrypted PKCS#8 PEM private key
  std::string identity;    ///< repository to name ("" = from the image's names)
  std::string output_dir;  ///< "" = write no files
  std::string signed_by;   ///< recorded as the record's imported_by
  std::string signed_at;   ///< recorded as the record's imported_at
};

/// What was signed and where it went.
struct SignOutcome {
  signature::SignatureRecord record;
  signature::ImageManifest manifest;
  std::string repository;
  std::string key_fingerprint;  ///< sha256 hex of the signing key's public half
  std::string trusted_key;      ///< the name it has in <config-dir>/keys, "" when not trusted
  bool added = false;           ///< false: the store already held this very signature
};

/// Signs `image` per `request` and stores the signature in `config_dir`. With output_dir,
/// writes DIR/payload.json (the payload bytes), DIR/payload.sig (base64 of the DER signature,
/// no newline, as `cosign sign-blob --output-signature` writes it) and DIR/manifest.json (the
/// signed manifest), creating DIR (0755) when absent; existing files are replaced atomically.
/// Errors: the key file's (PrivateKey::ParsePem, naming the file), SigningRepository's,
/// ManifestForSigning's, the store's (StoreSignature), kIo writing the files.
Result<SignOutcome> SignImage(const std::string& config_dir, const ResolvedImage& image,
                              const SignRequest& request);

}  // namespace verified::ctl
