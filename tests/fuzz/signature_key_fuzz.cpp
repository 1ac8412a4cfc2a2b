// Fuzz target: public key files (verifier/signature/public_key.h): PEM and DER
// SubjectPublicKeyInfo, then a signature check with whatever key parsed.
#include <cstdint>
#include <string>

#include "verifier/signature/public_key.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  auto key = verified::signature::PublicKey::Parse(in, "fuzz");
  if (!key.ok()) return 0;
  // What we store (Pem) reads back as the same key: `key add` never changes a key.
  auto again = verified::signature::PublicKey::Parse(key->Pem(), "fuzz");
  if (!again.ok() || again->fingerprint() != key->fingerprint()) __builtin_trap();
  auto der = verified::signature::PublicKey::Parse(key->der(), "fuzz");
  if (!der.ok() || der->fingerprint() != key->fingerprint()) __builtin_trap();
  // No signature made from the input itself can verify.
  if (verified::signature::Verify(*key, in, in.substr(0, 72)).ok()) __builtin_trap();
  return 0;
}
