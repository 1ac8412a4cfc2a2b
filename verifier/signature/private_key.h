// Private keys that sign (the policy, with `verifiedctl policy sign`): loaded from an
// unencrypted PEM, signing with the same scheme PublicKey verifies (public_key.h: the hash
// follows the key, P-384 signs with SHA-384). OpenSSL 3 EVP only.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "verifier/core/result.h"
#include "verifier/signature/public_key.h"

namespace verified::signature {

/// Largest private key file read.
inline constexpr size_t kMaxPrivateKeyFileBytes = 64 * 1024;

/// A private key of an accepted type, with its public half.
class PrivateKey {
 public:
  /// Parses one unencrypted PEM private key ("PRIVATE KEY" PKCS#8, what `verifiedctl key
  /// generate` and `openssl genpkey` write, or "EC PRIVATE KEY" / "RSA PRIVATE KEY"). kTooLarge
  /// beyond kMaxPrivateKeyFileBytes; kParse when it is not such a key (an encrypted key is
  /// refused: no passphrase is ever asked for); the public half must pass PublicKey::Parse
  /// (same types and sizes), its errors otherwise. `name` names the key in messages.
  static Result<PrivateKey> Parse(std::string_view pem, std::string_view name);

  /// The public half (named as the private key).
  const PublicKey& public_key() const { return public_; }

  /// Signs `data` with the key type's scheme: ECDSA (ASN.1 DER signature), RSA PKCS#1 v1.5,
  /// pure Ed25519. kInternal when OpenSSL fails.
  Result<std::string> Sign(std::string_view data) const;

 private:
  PrivateKey(std::shared_ptr<evp_pkey_st> pkey, PublicKey pub)
      : pkey_(std::move(pkey)), public_(std::move(pub)) {}
  std::shared_ptr<evp_pkey_st> pkey_;
  PublicKey public_;
};

}  // namespace verified::signature
