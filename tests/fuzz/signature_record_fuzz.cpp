// Fuzz target: the signature store's record files (verifier/signature/signature_record.h) and
// containers/image sigstore-json signature files (sigstore_json_signature.h). Input: a file.
#include <cstdint>
#include <string>

#include "verifier/image/digest.h"
#include "verifier/signature/signature_record.h"
#include "verifier/signature/sigstore_json_signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace verified::signature;
  std::string in(reinterpret_cast<const char*>(data), size);
  auto r = ParseSignatureRecord(in);
  if (r.ok()) {
    if (!verified::IsSha256Digest(r->digest)) __builtin_trap();
    // Exactly the material of its format, never empty (strict base64 refuses "").
    if (r->format == SignatureFormat::kSimpleSigning) {
      if (r->payload.empty() || r->signature_base64.empty() || !r->bundle.empty()) __builtin_trap();
    } else if (r->bundle.empty() || !r->payload.empty() || !r->signature_base64.empty()) {
      __builtin_trap();
    }
    // What is stored is read back as the same record, under the same id.
    auto again = ParseSignatureRecord(SerializeSignatureRecord(*r));
    if (!again.ok() || SignatureRecordId(*again) != SignatureRecordId(*r)) __builtin_trap();
    if (again->payload != r->payload || again->signature_base64 != r->signature_base64 ||
        again->bundle != r->bundle || again->digest != r->digest)
      __builtin_trap();
  }
  auto s = ParseSigstoreJsonSignature(in);
  if (s.ok() && (s->signature_base64.empty() || s->payload.size() > size)) __builtin_trap();
  return 0;
}
