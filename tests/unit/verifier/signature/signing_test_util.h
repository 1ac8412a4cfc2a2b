// Test helpers for verifier/signature: keys generated and signatures made through OpenSSL's
// EVP API at test time, and the checked-in vectors under tests/fixtures/signatures.
#pragma once

#include <string>
#include <string_view>

namespace verified::testing {

/// A private key generated for one test (freed on destruction).
class TestSigner {
 public:
  /// "P-256", "P-384", "P-521", "secp256k1" (EC), "RSA-1024", "RSA-2048", "ED25519".
  explicit TestSigner(std::string_view kind);
  ~TestSigner();
  TestSigner(const TestSigner&) = delete;
  TestSigner& operator=(const TestSigner&) = delete;

  /// The public key as a PEM "PUBLIC KEY" block.
  std::string PublicPem() const;
  /// The public key as DER SubjectPublicKeyInfo.
  std::string PublicDer() const;
  /// Signs `data` with digest `md` ("SHA256", "SHA384"; "" for Ed25519); `pss` selects
  /// RSASSA-PSS for RSA keys.
  std::string Sign(std::string_view data, std::string_view md, bool pss = false) const;

 private:
  void* pkey_;
};

/// The bytes of tests/fixtures/signatures/<rel>.
std::string SignatureFixture(const std::string& rel);

/// A containers/image `dir:` signature file ("\0sigstore-json\n" + JSON) split into the
/// decoded payload and the base64 signature annotation.
struct SigstoreJsonSignature {
  std::string payload;
  std::string signature_base64;
};
SigstoreJsonSignature ReadSigstoreJsonSignature(const std::string& bytes);

}  // namespace verified::testing
