#include "verifier/crypto/sha256.h"

#include <openssl/crypto.h>

#include <cstdlib>

namespace verified {

namespace {

// OpenSSL would otherwise read /usr/lib/ssl/openssl.cnf on first use: a file read on every
// create decision that buys us nothing (we only use the default provider's SHA-256).
void InitOpenSslOnce() {
  static const bool done = [] {
    OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr);
    return true;
  }();
  (void)done;
}

}  // namespace

Sha256::Sha256() : ctx_((InitOpenSslOnce(), EVP_MD_CTX_new())) {
  // Allocation failure of a few hundred bytes leaves nothing sensible to do.
  if (ctx_ == nullptr) std::abort();
  Reset();
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

void Sha256::Reset() { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }

void Sha256::Update(const void* data, size_t len) { EVP_DigestUpdate(ctx_, data, len); }

std::string Sha256::FinalHex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_, md, &len);
  static const char kHex[] = "0123456789abcdef";
  std::string out(len * 2, '0');
  for (unsigned int i = 0; i < len; ++i) {
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
