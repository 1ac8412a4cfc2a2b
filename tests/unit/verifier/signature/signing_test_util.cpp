#include "unit/verifier/signature/signing_test_util.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "unit/support/temp_dir.h"
#include "verifier/core/base64.h"

namespace verified::testing {
namespace {

EVP_PKEY* Generate(std::string_view kind) {
  if (kind == "ED25519") return EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (kind == "RSA-1024") return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024});
  if (kind == "RSA-2048") return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
  return EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", std::string(kind).c_str());
}

EVP_PKEY* Key(void* p) { return static_cast<EVP_PKEY*>(p); }

}  // namespace

TestSigner::TestSigner(std::string_view kind) : pkey_(Generate(kind)) {
  if (pkey_ == nullptr) throw std::runtime_error("key generation failed: " + std::string(kind));
}

TestSigner::~TestSigner() { EVP_PKEY_free(Key(pkey_)); }

std::string TestSigner::PublicDer() const {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(Key(pkey_), &der);
  std::string out(reinterpret_cast<char*>(der), n);
  OPENSSL_free(der);
  return out;
}

std::string TestSigner::PublicPem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, Key(pkey_));
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, len);
  BIO_free(bio);
  return out;
}

std::string TestSigner::Sign(std::string_view data, std::string_view md, bool pss) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  const EVP_MD* digest = md.empty() ? nullptr : EVP_get_digestbyname(std::string(md).c_str());
  if (EVP_DigestSignInit(ctx, &pctx, digest, nullptr, Key(pkey_)) != 1) {
    throw std::runtime_error("EVP_DigestSignInit");
  }
  if (pss) EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
  size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  EVP_DigestSign(ctx, nullptr, &len, in, data.size());
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, in, data.size()) !=
      1) {
    throw std::runtime_error("EVP_DigestSign");
  }
  sig.resize(len);
  EVP_MD_CTX_free(ctx);
  return sig;
}

std::string SignatureFixture(const std::string& rel) {
  std::string path = std::string(VERIFIED_SOURCE_DIR) + "/tests/fixtures/signatures/" + rel;
  std::string text = ReadFile(path);
  if (text.empty()) ADD_FAILURE() << "missing fixture " << path;
  return text;
}

SigstoreJsonSignature ReadSigstoreJsonSignature(const std::string& bytes) {
  const std::string prefix("\0sigstore-json\n", 15);
  if (bytes.compare(0, prefix.size(), prefix) != 0) throw std::runtime_error("not sigstore-json");
  auto j = nlohmann::json::parse(bytes.substr(prefix.size()));
  auto payload =
      Base64DecodeStrict(j.at("payload").get<std::string>(), "payload", 1 << 20);
  if (!payload.ok()) throw std::runtime_error(payload.error().What());
  return {*payload,
          j.at("annotations").at("dev.cosignproject.cosign/signature").get<std::string>()};
}

}  // namespace verified::testing
