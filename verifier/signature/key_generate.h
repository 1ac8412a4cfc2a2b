// New signing key pairs for `verifiedctl key generate`.
#pragma once

#include <string>
#include <string_view>

#include "verifier/core/result.h"
#include "verifier/signature/public_key.h"

namespace verified::signature {

/// A freshly generated key pair.
struct KeyPair {
  /// Unencrypted PKCS#8 "PRIVATE KEY" PEM: `openssl dgst -sign` reads it as is, and
  /// `cosign import-key-pair --key FILE` turns it into cosign's encrypted key format.
  std::string private_pem;
  PublicKey public_key;  ///< named `name`
};

/// Generates an ECDSA P-256 key pair with OpenSSL's default random generator. kInternal when
/// OpenSSL fails.
Result<KeyPair> GenerateEcdsaP256(std::string_view name);

}  // namespace verified::signature
