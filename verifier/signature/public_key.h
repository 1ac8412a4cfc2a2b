// Public keys that may sign images: parsed strictly, verified with OpenSSL 3's EVP API only.
//
// Accepted: a single PEM "PUBLIC KEY" block (X.509 SubjectPublicKeyInfo, what `cosign
// generate-key-pair` writes as cosign.pub and `openssl pkey -pubout` prints) or the same
// SubjectPublicKeyInfo as bare DER, holding an ECDSA P-256 or P-384 key, an RSA key of 2048 to
// 8192 bits, or an Ed25519 key. Everything else is refused with a message naming the key.
//
// The signature scheme follows the key, as sigstore's algorithm registry
// (sigstore/sigstore pkg/signature/algorithm_registry.go) defines it for these key types:
//   ECDSA P-256: ECDSA with SHA-256, ASN.1 DER signature    (PKIX_ECDSA_P256_SHA_256)
//   ECDSA P-384: ECDSA with SHA-384, ASN.1 DER signature    (PKIX_ECDSA_P384_SHA_384)
//   RSA:         RSASSA-PKCS1-v1_5 with SHA-256             (PKIX_RSA_PKCS1V15_*_SHA256)
//   Ed25519:     pure Ed25519 over the message, 64 bytes    (PKIX_ED25519)
// This is what cosign's own signer uses (pkg/cosign/keys.go LoadPrivateKey ->
// signature.LoadDefaultSignerVerifier), except for Ed25519: cosign signs with Ed25519ph by
// default (GetDefaultLoadOptions, "the only available option for hashedrekord entries"), which
// OpenSSL 3.0 cannot verify (Ed25519ph arrived in OpenSSL 3.2), so only pure Ed25519
// signatures (older cosign, sigstore bundles with PKIX_ED25519, openssl pkeyutl) verify here.
// RSA-PSS is not accepted: `cosign verify --key` loads an RSA public key with
// signature.LoadVerifier, which gives a PKCS#1 v1.5 verifier, so a PSS signature would not be
// accepted by cosign either; one scheme per key type leaves nothing to negotiate.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "verifier/core/result.h"

struct evp_pkey_st;
struct evp_md_st;

namespace verified::signature {

/// Largest key file we read (a PEM RSA-8192 key is about 1.5 KiB).
inline constexpr size_t kMaxPublicKeyFileBytes = 16 * 1024;

/// The accepted key types.
enum class KeyType { kEcdsaP256, kEcdsaP384, kRsa, kEd25519 };

/// Short stable name: "ecdsa-p256", "ecdsa-p384", "rsa", "ed25519".
const char* KeyTypeName(KeyType type);

/// An immutable, validated public key. Cheap to copy (shares the OpenSSL key).
class PublicKey {
 public:
  /// Parses `text` (a key file's bytes). `name` identifies the key in every error message
  /// ("key ci-signer: ..."). Fails with kTooLarge beyond kMaxPublicKeyFileBytes; kParse when
  /// the text is not exactly one PEM "PUBLIC KEY" block (surrounding whitespace allowed;
  /// other text before or after, a second block, another label such as "EC PUBLIC KEY" or
  /// "CERTIFICATE", bad base64 are refused) nor one DER SubjectPublicKeyInfo, or when the DER
  /// has trailing bytes; kUnsupported for another algorithm or curve, or an RSA modulus outside
  /// 2048..8192 bits; kIntegrity when OpenSSL's public key check fails (a point not on the
  /// curve).
  static Result<PublicKey> Parse(std::string_view text, std::string_view name);

  /// The name given to Parse.
  const std::string& name() const { return name_; }
  KeyType type() const { return type_; }
  /// Key size in bits (256, 384, the RSA modulus size, 256 for Ed25519).
  int bits() const { return bits_; }
  /// The DER SubjectPublicKeyInfo.
  const std::string& der() const { return der_; }
  /// Lowercase hex SHA-256 of der(): the key's fingerprint in messages and listings.
  const std::string& fingerprint() const { return fingerprint_; }
  /// The key as one PEM "PUBLIC KEY" block ending in a newline (what key files hold).
  std::string Pem() const;
  /// "key NAME (TYPE, sha256:FINGERPRINT-PREFIX)": how messages name the key.
  std::string Describe() const;
  /// The OpenSSL key, owned by this object (for Verify).
  evp_pkey_st* evp() const { return pkey_.get(); }

 private:
  PublicKey() = default;
  std::shared_ptr<evp_pkey_st> pkey_;
  std::string name_;
  KeyType type_ = KeyType::kEcdsaP256;
  int bits_ = 0;
  std::string der_;
  std::string fingerprint_;
};

/// The message digest the key type's scheme uses (above): SHA-384 for P-384, SHA-256 for P-256
/// and RSA, nullptr for Ed25519 (pure Ed25519 hashes internally). For signers (private_key.h).
const evp_md_st* SignatureDigest(KeyType type);

/// Verifies `signature` over `data` with `key`, using the key type's scheme (see above). The
/// signature is ASN.1 DER for ECDSA (non-canonical DER or trailing bytes refused), the raw
/// modulus-sized block for RSA, the raw 64 bytes for Ed25519. Fails with kIntegrity, naming
/// the key, when the signature is malformed or does not verify; kInternal when OpenSSL cannot
/// run the check at all.
Status Verify(const PublicKey& key, std::string_view data, std::string_view signature);

}  // namespace verified::signature
