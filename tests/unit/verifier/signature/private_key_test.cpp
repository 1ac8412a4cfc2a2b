// Private keys for verifiedctl sign: what `verifiedctl key generate` writes signs, and what it
// signs verifies with the public half; cosign's encrypted keys are refused with a clear error.
#include "verifier/signature/private_key.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "verifier/signature/key_generate.h"

namespace verified::signature {
namespace {

std::string GeneratePem(const char* alg, const char* opt = nullptr) {
  EVP_PKEY* pkey = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, alg, nullptr);
  EXPECT_EQ(EVP_PKEY_keygen_init(ctx), 1);
  if (opt) {
    EXPECT_GT(EVP_PKEY_CTX_ctrl_str(ctx, "ec_paramgen_curve", opt), 0);
  }
  EXPECT_EQ(EVP_PKEY_keygen(ctx, &pkey), 1);
  EVP_PKEY_CTX_free(ctx);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  EVP_PKEY_free(pkey);
  return pem;
}

TEST(PrivateKey, SignsWhatVerifyAccepts) {
  auto pair = GenerateEcdsaP256("ci");
  ASSERT_TRUE(pair.ok());
  auto key = PrivateKey::ParsePem(pair->private_pem, "ci.key");
  ASSERT_TRUE(key.ok()) << key.error().What();
  EXPECT_EQ(key->public_key().fingerprint(), pair->public_key.fingerprint());
  auto sig = key->Sign("payload");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(Verify(pair->public_key, "payload", *sig).ok());
  EXPECT_FALSE(Verify(pair->public_key, "payload!", *sig).ok());
  for (auto [alg, opt] :
       {std::pair<const char*, const char*>{"EC", "P-384"}, {"ED25519", nullptr}}) {
    auto k = PrivateKey::ParsePem(GeneratePem(alg, opt), alg);
    ASSERT_TRUE(k.ok()) << k.error().What();
    auto s = k->Sign("x");
    ASSERT_TRUE(s.ok());
    EXPECT_TRUE(Verify(k->public_key(), "x", *s).ok()) << alg;
  }
}

TEST(PrivateKey, RefusesEncryptedAndOtherText) {
  const std::string body = "\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n";
  for (const char* label : {"ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY",
                            "ENCRYPTED PRIVATE KEY"}) {
    std::string pem =
        std::string("-----BEGIN ") + label + "-----" + body + "-----END " + label + "-----\n";
    auto k = PrivateKey::ParsePem(pem, "cosign.key");
    ASSERT_FALSE(k.ok());
    EXPECT_EQ(k.error().kind(), ErrorKind::kUnsupported);
    EXPECT_NE(k.error().What().find("encrypted"), std::string::npos) << k.error().What();
  }
  auto pair = GenerateEcdsaP256("ci");
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(PrivateKey::ParsePem(pair->public_key.Pem(), "pub").error().kind(), ErrorKind::kParse);
  EXPECT_EQ(PrivateKey::ParsePem(pair->private_pem + pair->private_pem, "two").error().kind(),
            ErrorKind::kParse);
  std::string broken = pair->private_pem;
  broken[40] = broken[40] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(PrivateKey::ParsePem(broken, "broken").ok());
  EXPECT_EQ(PrivateKey::ParsePem(std::string(20000, 'a'), "big").error().kind(),
            ErrorKind::kTooLarge);
  // A curve verification does not accept cannot sign images either.
  EXPECT_EQ(PrivateKey::ParsePem(GeneratePem("EC", "P-521"), "p521").error().kind(),
            ErrorKind::kUnsupported);
}

}  // namespace
}  // namespace verified::signature
