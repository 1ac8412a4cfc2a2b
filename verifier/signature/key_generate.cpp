#include "verifier/signature/key_generate.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace verified::signature {

Result<KeyPair> GenerateEcdsaP256(std::string_view name) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!pkey) {
    ERR_clear_error();
    return MakeError(ErrorKind::kInternal, "key {}: EC P-256 key generation failed", name);
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    ERR_clear_error();
    return MakeError(ErrorKind::kInternal, "key {}: cannot encode the private key", name);
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  std::string private_pem(data, static_cast<size_t>(len));
  OPENSSL_cleanse(data, static_cast<size_t>(len));
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(pkey.get(), &der);
  if (n <= 0) {
    ERR_clear_error();
    return MakeError(ErrorKind::kInternal, "key {}: cannot encode the public key", name);
  }
  std::string spki(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  VERIFIED_ASSIGN_OR_RETURN(PublicKey pub, PublicKey::Parse(spki, name));
  return KeyPair{std::move(private_pem), std::move(pub)};
}

}  // namespace verified::signature
