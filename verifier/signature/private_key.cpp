#include "verifier/signature/private_key.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace verified::signature {

Result<PrivateKey> PrivateKey::Parse(std::string_view pem, std::string_view name) {
  if (pem.size() > kMaxPrivateKeyFileBytes) {
    return MakeError(ErrorKind::kTooLarge, "private key {}: {} bytes exceeds the limit of {}", name,
                     pem.size(), kMaxPrivateKeyFileBytes);
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return MakeError(ErrorKind::kInternal, "private key {}: BIO_new_mem_buf failed", name);
  // A passphrase callback that refuses: an encrypted key fails instead of prompting.
  auto no_pass = [](char*, int, int, void*) -> int { return -1; };
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, no_pass, nullptr);
  ERR_clear_error();
  if (raw == nullptr) {
    return MakeError(ErrorKind::kParse,
                     "private key {}: not an unencrypted PEM private key (PKCS#8 \"PRIVATE KEY\", "
                     "\"EC PRIVATE KEY\" or \"RSA PRIVATE KEY\")",
                     name);
  }
  std::shared_ptr<evp_pkey_st> pkey(raw, EVP_PKEY_free);
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(raw, &der);
  if (n <= 0) return MakeError(ErrorKind::kInternal, "private key {}: i2d_PUBKEY failed", name);
  std::string spki(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  VERIFIED_ASSIGN_OR_RETURN(PublicKey pub, PublicKey::Parse(spki, name));
  return PrivateKey(std::move(pkey), std::move(pub));
}

Result<std::string> PrivateKey::Sign(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_PKEY_CTX* pctx = nullptr;  // owned by md
  auto fail = [&](const char* what) {
    ERR_clear_error();
    return MakeError(ErrorKind::kInternal, "{}: {} failed", public_.Describe(), what);
  };
  if (!md || EVP_DigestSignInit(md.get(), &pctx, SignatureDigest(public_.type()), nullptr,
                                pkey_.get()) != 1) {
    return fail("EVP_DigestSignInit");
  }
  if (public_.type() == KeyType::kRsa &&
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    return fail("selecting PKCS#1 v1.5");
  }
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  size_t len = 0;
  if (EVP_DigestSign(md.get(), nullptr, &len, in, data.size()) != 1) return fail("EVP_DigestSign");
  std::string sig(len, '\0');
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                     data.size()) != 1) {
    return fail("EVP_DigestSign");
  }
  sig.resize(len);
  return sig;
}

}  // namespace verified::signature
