// Private signing keys for `verifiedctl sign`: an unencrypted PKCS#8 PEM ("PRIVATE KEY", what
// `verifiedctl key generate` and `openssl genpkey` write), used with OpenSSL 3's EVP API only.
// The signature scheme is the one Verify (public_key.h) accepts for the key's type, so what
// this signs verifies there, with `openssl dgst -verify` and with `cosign verify-blob`.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "verifier/core/result.h"
#include "verifier/signature/public_key.h"

namespace verified::signature {

/// Largest private key file read (a PEM RSA-8192 PKCS#8 key is about 6.5 KiB).
inline constexpr size_t kMaxPrivateKeyFileBytes = 16 * 1024;

/// A parsed private key and its public half.
class PrivateKey {
 public:
  /// Parses `pem` (a key file's bytes; `name` names it in errors). Exactly one "PRIVATE KEY"
  /// block, surrounding whitespace allowed. kUnsupported, saying what to do, for cosign's
  /// encrypted keys ("ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY") and any
  /// other encrypted key (no password is ever asked for); kParse for other text or a block
  /// OpenSSL cannot read; kTooLarge beyond kMaxPrivateKeyFileBytes; PublicKey::Parse's errors
  /// for a key type or size that cannot sign images (the same set verification accepts).
  static Result<PrivateKey> ParsePem(std::string_view pem, std::string_view name);

  /// The public half (named as the private key was).
  const PublicKey& public_key() const { return public_; }

  /// Signs `data` with the key type's scheme (ECDSA P-256 with SHA-256 and P-384 with SHA-384,
  /// ASN.1 DER; RSA PKCS#1 v1.5 with SHA-256; pure Ed25519). kInternal when OpenSSL fails.
  Result<std::string> Sign(std::string_view data) const;

 private:
  PrivateKey(std::shared_ptr<evp_pkey_st> pkey, PublicKey pub)
      : pkey_(std::move(pkey)), public_(std::move(pub)) {}
  std::shared_ptr<evp_pkey_st> pkey_;
  PublicKey public_;
};

}  // namespace verified::signature
