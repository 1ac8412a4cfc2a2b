#include "verifier/signature/public_key.h"

#include <gtest/gtest.h>

#include "unit/verifier/signature/signing_test_util.h"
#include "verifier/crypto/sha256.h"

namespace verified::signature {
namespace {

using testing::SignatureFixture;
using testing::TestSigner;

TEST(PublicKey, ParsesCosignPubAsIs) {
  auto key = PublicKey::Parse(SignatureFixture("cosign/cosign.pub"), "cosign");
  ASSERT_TRUE(key.ok()) << key.error().What();
  EXPECT_EQ(key->type(), KeyType::kEcdsaP256);
  EXPECT_EQ(key->bits(), 256);
  // openssl pkey -pubin -in cosign.pub -outform DER | sha256sum
  EXPECT_EQ(key->fingerprint(), "c87a79018f346cc02482448b77296b0bea143ef2ccab99b04776fb0f638f301f");
  EXPECT_EQ(key->Pem(), SignatureFixture("cosign/cosign.pub"));
  EXPECT_NE(key->Describe().find("key cosign (ecdsa-p256, sha256:c87a79018f346cc0)"),
            std::string::npos);
}

TEST(PublicKey, AcceptsCrlfLinesAndSurroundingWhitespace) {
  std::string pem = SignatureFixture("cosign/cosign.pub");
  std::string crlf;
  for (char c : pem) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  auto key = PublicKey::Parse("\n  " + crlf + "\n\n", "crlf");
  ASSERT_TRUE(key.ok()) << key.error().What();
  EXPECT_EQ(key->fingerprint(), "c87a79018f346cc02482448b77296b0bea143ef2ccab99b04776fb0f638f301f");
}

TEST(PublicKey, AcceptsEachKeyTypeAsPemAndDer) {
  const std::pair<const char*, KeyType> kinds[] = {{"P-256", KeyType::kEcdsaP256},
                                                   {"P-384", KeyType::kEcdsaP384},
                                                   {"RSA-2048", KeyType::kRsa},
                                                   {"ED25519", KeyType::kEd25519}};
  for (const auto& [kind, type] : kinds) {
    TestSigner signer(kind);
    auto pem = PublicKey::Parse(signer.PublicPem(), kind);
    ASSERT_TRUE(pem.ok()) << kind << ": " << pem.error().What();
    EXPECT_EQ(pem->type(), type) << kind;
    EXPECT_EQ(pem->der(), signer.PublicDer());
    EXPECT_EQ(pem->Pem(), signer.PublicPem());
    auto der = PublicKey::Parse(signer.PublicDer(), kind);
    ASSERT_TRUE(der.ok()) << kind << ": " << der.error().What();
    EXPECT_EQ(der->fingerprint(), pem->fingerprint());
  }
}

TEST(PublicKey, RefusesOtherCurvesAndSmallRsa) {
  for (const char* kind : {"P-521", "secp256k1", "RSA-1024"}) {
    TestSigner signer(kind);
    auto key = PublicKey::Parse(signer.PublicPem(), "k");
    ASSERT_FALSE(key.ok()) << kind;
    EXPECT_EQ(key.error().kind(), ErrorKind::kUnsupported) << kind;
    EXPECT_NE(key.error().What().find("key k: "), std::string::npos) << key.error().What();
  }
}

TEST(PublicKey, RefusesAnythingButOnePemBlock) {
  std::string pem = SignatureFixture("cosign/cosign.pub");
  auto refused = [](std::string_view text, ErrorKind kind, std::string_view why) {
    auto key = PublicKey::Parse(text, "k");
    ASSERT_FALSE(key.ok()) << why;
    EXPECT_EQ(key.error().kind(), kind) << key.error().What();
    EXPECT_NE(key.error().What().find(why), std::string::npos) << key.error().What();
  };
  refused(pem + pem, ErrorKind::kParse, "more than one PEM block");
  refused(pem + "x", ErrorKind::kParse, "bytes after the PEM block");
  refused("comment\n" + pem, ErrorKind::kParse, "not a PEM 'PUBLIC KEY' block");
  // The model-signing key file as published starts with a certtool text dump.
  refused(SignatureFixture("sigstore-bundle/model-signing-key-dsse/signing-key-pub.pem"),
          ErrorKind::kParse, "not a PEM 'PUBLIC KEY' block");
  std::string ec = pem;
  ec.replace(ec.find("PUBLIC KEY"), 10, "EC PUBLIC KEY");
  refused(ec, ErrorKind::kParse, "'-----BEGIN EC PUBLIC KEY-----' is not a 'PUBLIC KEY'");
  std::string spaced = pem;
  spaced.insert(pem.find('\n') + 5, " ");
  refused(spaced, ErrorKind::kParse, "PEM body: base64 text");
  refused(pem.substr(0, pem.size() - 10), ErrorKind::kParse, "no '-----END PUBLIC KEY-----'");
  refused(std::string(kMaxPublicKeyFileBytes + 1, '\n'), ErrorKind::kTooLarge, "limit");
  refused("", ErrorKind::kParse, "not a PEM");
}

TEST(PublicKey, RefusesDerWithTrailingOrNonCanonicalBytes) {
  TestSigner signer("P-256");
  auto key = PublicKey::Parse(signer.PublicDer() + std::string(1, '\0'), "k");
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().What().find("trailing bytes"), std::string::npos) << key.error().What();
  // The same SEQUENCE with a long-form length (0x81 0x59 instead of 0x59) is BER, not DER.
  std::string der = signer.PublicDer();
  ASSERT_EQ(static_cast<unsigned char>(der[1]), 0x59);
  std::string ber = std::string("\x30\x81", 2) + der.substr(1);
  auto b = PublicKey::Parse(ber, "k");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().kind(), ErrorKind::kParse) << b.error().What();
}

TEST(PublicKey, RefusesAPointNotOnTheCurve) {
  TestSigner signer("P-256");
  std::string der = signer.PublicDer();
  der[der.size() - 1] ^= 1;  // last byte of Y
  auto key = PublicKey::Parse(der, "k");
  ASSERT_FALSE(key.ok());
}

TEST(PublicKey, NistKeysTakeTheDirectImportAndMatchTheGenericDecoder) {
  // P-256 and P-384 SPKIs are imported without OpenSSL's generic decoder (public_key.cpp
  // DecodeNistSpki); the key must be the same key: same DER, fingerprint, type, and it verifies.
  for (const char* kind : {"P-256", "P-384"}) {
    TestSigner signer(kind);
    auto key = PublicKey::Parse(signer.PublicPem(), "k");
    ASSERT_TRUE(key.ok()) << kind << ": " << key.error().What();
    EXPECT_EQ(key->der(), signer.PublicDer());
    EXPECT_EQ(key->fingerprint(), Sha256Hex(signer.PublicDer()));
    EXPECT_EQ(key->type(),
              std::string(kind) == "P-256" ? KeyType::kEcdsaP256 : KeyType::kEcdsaP384);
    const char* md = std::string(kind) == "P-256" ? "SHA256" : "SHA384";
    EXPECT_TRUE(Verify(*key, "data", signer.Sign("data", md)).ok()) << kind;
    EXPECT_FALSE(Verify(*key, "data!", signer.Sign("data", md)).ok()) << kind;
  }
}

TEST(PublicKey, DirectImportRefusesBadPointsLikeTheGenericPath) {
  TestSigner signer("P-256");
  const std::string der = signer.PublicDer();
  const size_t point = der.size() - 65;
  // X = p (out of range), with the prefix and length of a valid key.
  std::string out_of_range = der;
  const std::string p_bytes =
      "\xff\xff\xff\xff\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff"
      "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff";
  out_of_range.replace(point + 1, 32, p_bytes);
  EXPECT_FALSE(PublicKey::Parse(out_of_range, "k").ok());
  // Off the curve: (0, 0).
  std::string zero = der;
  zero.replace(point + 1, 64, std::string(64, '\0'));
  EXPECT_FALSE(PublicKey::Parse(zero, "k").ok());
}

TEST(Verify, EachKeyTypeWithItsScheme) {
  const std::string data = "signed bytes";
  struct Case {
    const char* kind;
    const char* md;
  };
  for (const Case& c : {Case{"P-256", "SHA256"}, Case{"P-384", "SHA384"},
                        Case{"RSA-2048", "SHA256"}, Case{"ED25519", ""}}) {
    TestSigner signer(c.kind);
    auto key = PublicKey::Parse(signer.PublicPem(), c.kind);
    ASSERT_TRUE(key.ok());
    std::string sig = signer.Sign(data, c.md);
    auto ok = Verify(*key, data, sig);
    EXPECT_TRUE(ok.ok()) << c.kind << ": " << ok.error().What();
    auto other = Verify(*key, data + ".", sig);
    ASSERT_FALSE(other.ok()) << c.kind;
    EXPECT_EQ(other.error().kind(), ErrorKind::kIntegrity);
    EXPECT_NE(other.error().What().find("signature does not verify"), std::string::npos);
    TestSigner stranger(c.kind);
    EXPECT_FALSE(Verify(*key, data, stranger.Sign(data, c.md)).ok()) << c.kind;
  }
}

TEST(Verify, TheHashFollowsTheKey) {
  TestSigner p384("P-384");
  auto key = PublicKey::Parse(p384.PublicPem(), "p384");
  ASSERT_TRUE(key.ok());
  EXPECT_FALSE(Verify(*key, "x", p384.Sign("x", "SHA256")).ok());
  TestSigner p256("P-256");
  auto key256 = PublicKey::Parse(p256.PublicPem(), "p256");
  ASSERT_TRUE(key256.ok());
  EXPECT_FALSE(Verify(*key256, "x", p256.Sign("x", "SHA384")).ok());
}

TEST(Verify, RsaPssIsRefused) {
  TestSigner rsa("RSA-2048");
  auto key = PublicKey::Parse(rsa.PublicPem(), "rsa");
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(Verify(*key, "x", rsa.Sign("x", "SHA256")).ok());
  EXPECT_FALSE(Verify(*key, "x", rsa.Sign("x", "SHA256", /*pss=*/true)).ok());
}

TEST(Verify, EcdsaSignatureMustBeCanonicalDer) {
  TestSigner signer("P-256");
  auto key = PublicKey::Parse(signer.PublicPem(), "k");
  ASSERT_TRUE(key.ok());
  std::string sig = signer.Sign("x", "SHA256");
  ASSERT_TRUE(Verify(*key, "x", sig).ok());
  auto trailing = Verify(*key, "x", sig + std::string(1, '\0'));
  ASSERT_FALSE(trailing.ok());
  EXPECT_NE(trailing.error().What().find("not canonical DER"), std::string::npos)
      << trailing.error().What();
  EXPECT_FALSE(Verify(*key, "x", "").ok());
  EXPECT_FALSE(Verify(*key, "x", std::string(64, '\x01')).ok());  // raw r||s is not DER
}

TEST(Verify, WrongSizedRawSignaturesAreRefused) {
  TestSigner ed("ED25519");
  auto key = PublicKey::Parse(ed.PublicPem(), "ed");
  ASSERT_TRUE(key.ok());
  std::string sig = ed.Sign("x", "");
  EXPECT_FALSE(Verify(*key, "x", sig + "x").ok());
  EXPECT_FALSE(Verify(*key, "x", sig.substr(1)).ok());
}

}  // namespace
}  // namespace verified::signature
