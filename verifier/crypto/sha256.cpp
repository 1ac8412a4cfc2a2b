// OpenSSL 3's EVP interface fetches the digest from a provider on first use, which costs about
// half a millisecond per process (measured: 450-550 us with SHA-NI available). verified-runtime
// is a new process on every create, so that alone would be a quarter of its latency budget.
// The SHA256_* functions run the same assembly (same throughput, ~1.8 GB/s per core here)
// without the provider machinery; OpenSSL 3 marks them deprecated but keeps them.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "verifier/crypto/sha256.h"

#include <openssl/sha.h>

namespace verified {

struct Sha256::State {
  SHA256_CTX ctx;
};

Sha256::Sha256() : state_(std::make_unique<State>()) { Reset(); }
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::Reset() { SHA256_Init(&state_->ctx); }

void Sha256::Update(const void* data, size_t len) { SHA256_Update(&state_->ctx, data, len); }

std::string Sha256::FinalHex() {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256_Final(md, &state_->ctx);
  static const char kHex[] = "0123456789abcdef";
  std::string out(2 * SHA256_DIGEST_LENGTH, '0');
  for (int i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
    out[2 * i] = kHex[md[i] >> 4];
    out[2 * i + 1] = kHex[md[i] & 0xf];
  }
  Reset();
  return out;
}

std::string Sha256Hex(std::string_view data) {
  Sha256 h;
  h.Update(data);
  return h.FinalHex();
}

std::string Sha256Digest(std::string_view data) { return "sha256:" + Sha256Hex(data); }

}  // namespace verified
