#include "verifier/signature/private_key.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace verified::signature {
namespace {

constexpr std::string_view kPrivateBegin = "-----BEGIN PRIVATE KEY-----";

// Never prompt: an encrypted key without a password is an error, not a terminal read.
int NoPassword(char*, int, int, void*) { return 0; }

std::string_view TrimPem(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

Status CheckLabel(std::string_view pem, std::string_view name) {
  for (std::string_view enc : {"ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY",
                               "ENCRYPTED PRIVATE KEY"}) {
    if (pem.find(enc) != std::string_view::npos) {
      return MakeError(ErrorKind::kUnsupported,
                       "key {}: an encrypted private key ({}) is not supported; use the "
                       "unencrypted PKCS#8 key `verifiedctl key generate` writes, or sign with "
                       "cosign and import the signature (verifiedctl signature import)",
                       name, enc);
    }
  }
  std::string_view t = TrimPem(pem);
  if (t.substr(0, kPrivateBegin.size()) != kPrivateBegin ||
      t.find(kPrivateBegin, 1) != std::string_view::npos || t.size() < 25 ||
      t.substr(t.size() - 25) != "-----END PRIVATE KEY-----") {
    return MakeError(ErrorKind::kParse,
                     "key {}: not exactly one PEM \"PRIVATE KEY\" block (unencrypted PKCS#8)",
                     name);
  }
  return Ok();
}

}  // namespace

Result<PrivateKey> PrivateKey::ParsePem(std::string_view pem, std::string_view name) {
  if (pem.size() > kMaxPrivateKeyFileBytes) {
    return MakeError(ErrorKind::kTooLarge, "key {}: more than {} bytes", name,
                     kMaxPrivateKeyFileBytes);
  }
  VERIFIED_RETURN_IF_ERROR(CheckLabel(pem, name));
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  EVP_PKEY* raw = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr) : nullptr;
  ERR_clear_error();
  if (raw == nullptr) {
    return MakeError(ErrorKind::kParse, "key {}: OpenSSL cannot read the private key", name);
  }
  std::shared_ptr<evp_pkey_st> pkey(raw, EVP_PKEY_free);
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(raw, &der);
  if (n <= 0) {
    ERR_clear_error();
    return MakeError(ErrorKind::kInternal, "key {}: cannot derive the public key", name);
  }
  std::string spki(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  VERIFIED_ASSIGN_OR_RETURN(PublicKey pub, PublicKey::Parse(spki, name));
  return PrivateKey(std::move(pkey), std::move(pub));
}

Result<std::string> PrivateKey::Sign(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_PKEY_CTX* pctx = nullptr;
  size_t len = 0;
  auto fail = [&](const char* step) {
    ERR_clear_error();
    return MakeError(ErrorKind::kInternal, "{}: {} failed", public_.Describe(), step);
  };
  if (!md || EVP_DigestSignInit(md.get(), &pctx, SignatureDigest(public_.type()), nullptr,
                                pkey_.get()) != 1) {
    return fail("EVP_DigestSignInit");
  }
  if (public_.type() == KeyType::kRsa &&
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    return fail("setting PKCS#1 v1.5 padding");
  }
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
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
