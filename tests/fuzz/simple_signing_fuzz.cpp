// Fuzz target: cosign simple-signing payloads (verifier/signature/cosign_simple_signing.h)
// and the strict base64 of their signatures. Input: the payload bytes.
#include <cstdint>
#include <string>

#include "verifier/image/digest.h"
#include "verifier/signature/cosign_simple_signing.h"
#include "verifier/core/base64.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  auto p = verified::signature::ParseSimpleSigningPayload(in);
  if (p.ok()) {
    if (!verified::IsSha256Digest(p->manifest_digest)) __builtin_trap();
    if (p->docker_reference.empty() || p->repository.empty()) __builtin_trap();
    if (!p->optional.is_null() && !p->optional.is_object()) __builtin_trap();
  }
  // One spelling per byte string: whatever decodes re-encodes to the same text.
  auto d = verified::Base64DecodeStrict(in, "fuzz", 1u << 20);
  if (d.ok() && verified::Base64Encode(*d) != in) __builtin_trap();
  return 0;
}
