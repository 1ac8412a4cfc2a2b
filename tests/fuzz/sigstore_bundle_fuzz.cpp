// Fuzz target: sigstore bundles, their DSSE envelopes and in-toto Statements
// (verifier/signature/sigstore_bundle.h). Input: a bundle file.
#include <cstdint>
#include <string>

#include "verifier/image/digest.h"
#include "verifier/signature/sigstore_bundle.h"

namespace {

// cosign.pub from tests/fixtures/signatures: a real key to run the verification path with.
constexpr char kKey[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFNLqFhf4fiN6o/glAuYnq2jYUeL0\n"
    "vRuLu/z39pmbVwS9ff5AYnlwaP9sxREajdLY9ynM6G1sy6AAmb7Z63TsLg==\n"
    "-----END PUBLIC KEY-----\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace verified::signature;
  static const PublicKey key = PublicKey::Parse(kKey, "cosign").value();
  std::string in(reinterpret_cast<const char*>(data), size);
  auto b = ParseSigstoreBundle(in);
  if (b.ok()) {
    if (b->media_type != kBundleMediaTypeV03 && b->media_type != kBundleMediaTypeV03Alt) {
      __builtin_trap();
    }
    auto st = ParseInTotoStatement(b->envelope.payload);
    if (st.ok()) {
      if (st->subject_digests.empty() || st->subject_digests.size() != st->subject_names.size()) {
        __builtin_trap();
      }
      for (const auto& d : st->subject_digests) {
        if (!verified::IsSha256Digest(d)) __builtin_trap();
      }
    }
  }
  // Mutated bundles never verify with a key that signed none of them.
  if (VerifySigstoreBundle(key, in).ok()) __builtin_trap();
  // The Statement parser on its own, for inputs that are Statements rather than bundles.
  (void)ParseInTotoStatement(in);
  return 0;
}
