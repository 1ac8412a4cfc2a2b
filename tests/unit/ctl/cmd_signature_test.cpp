#include "ctl/cmd_signature.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "ctl/cmd_key.h"
#include "ctl/signature_import.h"
#include "unit/support/run_ctl.h"
#include "unit/support/temp_dir.h"
#include "unit/verifier/signature/signing_test_util.h"
#include "verifier/core/base64.h"
#include "verifier/crypto/sha256.h"
#include "verifier/signature/dsse.h"
#include "verifier/signature/in_toto_statement.h"
#include "verifier/signature/signature_store.h"
#include "verifier/signature/sigstore_bundle.h"

namespace verified::ctl {
namespace {

using testing::TempDir;

const std::string kSignedDigest =
    "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00";

std::string Fixture(const std::string& rel) {
  return std::string(VERIFIED_SOURCE_DIR) + "/tests/fixtures/signatures/cosign/" + rel;
}

// Runs `verifiedctl --config-dir DIR ARGS...` in-process; returns the exit status.
int RunSignatureCtl(const std::string& config_dir, std::vector<std::string> args) {
  return testing::RunCtl(config_dir, std::move(args), [](CLI::App& app, CtlContext& ctx) {
    AddKeyCommands(app, ctx);
    AddSignatureCommands(app, ctx);
  });
}

// A request with the given members set (the others empty).
SignatureImportRequest Request(const std::string& dir, const std::string& bundle = "",
                               const std::string& manifest = "", const std::string& sig = "") {
  SignatureImportRequest r;
  r.dir = dir;
  r.bundle_file = bundle;
  r.manifest_file = manifest;
  r.signature_file = sig;
  return r;
}

size_t Stored(const std::string& etc, const std::string& digest = kSignedDigest) {
  auto s = signature::SignaturesFor(etc, digest);
  EXPECT_TRUE(s.ok()) << s.error().What();
  return s.ok() ? s->records.size() : 0;
}

TEST(CmdSignature, ImportsTheValidCosignDirsAndRefusesTheOthers) {
  TempDir dir;
  std::string etc = dir / "etc";
  // No key trusted yet: refused.
  EXPECT_EQ(RunSignatureCtl(etc, {"signature", "import", Fixture("dir-img-cosign-valid")}),
            kExitError);
  ASSERT_EQ(RunSignatureCtl(etc, {"key", "add", "other", Fixture("cosign2.pub")}), kExitOk);
  auto only2 = ImportSignatures(etc, Request(Fixture("dir-img-cosign-valid")));
  ASSERT_FALSE(only2.ok());
  EXPECT_NE(only2.error().What().find("signed by no trusted key"), std::string::npos);
  EXPECT_EQ(Stored(etc), 0u);

  ASSERT_EQ(RunSignatureCtl(etc, {"key", "add", "cosign", Fixture("cosign.pub")}), kExitOk);
  for (const char* bad :
       {"dir-img-cosign-modified-manifest", "dir-img-cosign-manifest-digest-error"}) {
    auto r = ImportSignatures(etc, Request(Fixture(bad)));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind(), ErrorKind::kIntegrity) << r.error().What();
    EXPECT_NE(r.error().What().find("not the signed manifest"), std::string::npos);
  }
  EXPECT_TRUE(signature::ListSignedDigests(etc)->empty());

  auto ok = ImportSignatures(etc, Request(Fixture("dir-img-cosign-valid-2")));
  ASSERT_TRUE(ok.ok()) << ok.error().What();
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[0].verified.key_name, "cosign");
  EXPECT_TRUE((*ok)[0].added);
  EXPECT_EQ(Stored(etc), 2u);
  // dir-img-cosign-valid's signature is one of valid-2's: imported again, stored once.
  auto again = ImportSignatures(etc, Request(Fixture("dir-img-cosign-valid")));
  ASSERT_TRUE(again.ok()) << again.error().What();
  EXPECT_FALSE((*again)[0].added);
  EXPECT_EQ(RunSignatureCtl(etc, {"signature", "import", Fixture("dir-img-cosign-valid-with-tag")}),
            kExitOk);
  EXPECT_EQ(Stored(etc), 3u);
  EXPECT_EQ(signature::SignaturesFor(etc, kSignedDigest)->manifest,
            testing::ReadFile(Fixture("dir-img-cosign-valid/manifest.json")));
  EXPECT_EQ(RunSignatureCtl(etc, {"signature", "list"}), kExitOk);
  EXPECT_EQ(RunSignatureCtl(etc, {"signature", "list", "--json"}), kExitOk);
  EXPECT_EQ(RunSignatureCtl(etc, {"signature", "remove", kSignedDigest}), kExitOk);
  EXPECT_EQ(RunSignatureCtl(etc, {"signature", "remove", kSignedDigest}), kExitError);
  EXPECT_EQ(Stored(etc), 0u);
}

TEST(CmdSignature, ImportsPayloadAndSignatureFilesAsCosignWritesThem) {
  TempDir dir;
  std::string etc = dir / "etc";
  ASSERT_EQ(RunSignatureCtl(etc, {"key", "add", "cosign", Fixture("cosign.pub")}), kExitOk);
  auto sig = testing::ReadSigstoreJsonSignature(
      testing::ReadFile(Fixture("dir-img-cosign-valid/signature-1")));
  testing::WriteFile(dir / "payload.json", sig.payload);
  testing::WriteFile(dir / "payload.sig", sig.signature_base64 + "\n");
  EXPECT_EQ(RunSignatureCtl(etc, {"signature", "import", "--payload", dir / "payload.json",
                                  "--signature", dir / "payload.sig", "--manifest",
                                  Fixture("dir-img-cosign-modified-manifest/manifest.json")}),
            kExitError);
  EXPECT_EQ(Stored(etc), 0u);
  EXPECT_EQ(RunSignatureCtl(etc, {"signature", "import", "--payload", dir / "payload.json"}),
            kExitError);
  EXPECT_EQ(RunSignatureCtl(etc, {"signature", "import", "--payload", dir / "payload.json",
                                  "--signature", dir / "payload.sig"}),
            kExitOk);
  auto stored = signature::SignaturesFor(etc, kSignedDigest);
  ASSERT_EQ(stored->records.size(), 1u);
  EXPECT_FALSE(stored->manifest.has_value());
  EXPECT_EQ(stored->records[0].signature_base64, sig.signature_base64);
  // Payload bytes changed by one: the signature no longer verifies.
  testing::WriteFile(dir / "payload.json", sig.payload + "\n");
  EXPECT_EQ(RunSignatureCtl(etc, {"signature", "import", "--payload", dir / "payload.json",
                                  "--signature", dir / "payload.sig"}),
            kExitError);
}

TEST(CmdSignature, ImportsAV03BundleByItsSubject) {
  TempDir dir;
  std::string etc = dir / "etc";
  testing::TestSigner signer("P-256");
  testing::WriteFile(dir / "ci.pub", signer.PublicPem());
  ASSERT_EQ(RunSignatureCtl(etc, {"key", "add", "ci", dir / "ci.pub"}), kExitOk);
  std::string manifest = "{\"schemaVersion\":2}";
  std::string digest = Sha256Digest(manifest);
  auto bundle = [&](const std::string& predicate) {
    std::string statement =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"" +
        digest.substr(7) + "\"}}],\"predicateType\":\"" + predicate + "\"}";
    std::string s =
        signer.Sign(signature::DssePae(signature::kInTotoPayloadType, statement), "SHA256");
    nlohmann::json b = {{"mediaType", signature::kBundleMediaTypeV03},
                        {"verificationMaterial", {{"publicKey", {{"hint", "x"}}}}},
                        {"dsseEnvelope",
                         {{"payload", Base64Encode(statement)},
                          {"payloadType", signature::kInTotoPayloadType},
                          {"signatures", {{{"sig", Base64Encode(s)}}}}}}};
    return b.dump();
  };
  testing::WriteFile(dir / "att.sigstore.json", bundle("https://slsa.dev/provenance/v1"));
  EXPECT_EQ(RunSignatureCtl(etc, {"signature", "import", "--bundle", dir / "att.sigstore.json"}),
            kExitError);
  testing::WriteFile(dir / "img.sigstore.json",
                     bundle(std::string(signature::kCosignSignPredicate)));
  testing::WriteFile(dir / "other.json", manifest + " ");
  EXPECT_EQ(RunSignatureCtl(etc, {"signature", "import", "--bundle", dir / "img.sigstore.json",
                                  "--manifest", dir / "other.json"}),
            kExitError);
  EXPECT_EQ(Stored(etc, digest), 0u);
  testing::WriteFile(dir / "manifest.json", manifest);
  EXPECT_EQ(RunSignatureCtl(etc, {"signature", "import", "--bundle", dir / "img.sigstore.json",
                                  "--manifest", dir / "manifest.json"}),
            kExitOk);
  auto stored = signature::SignaturesFor(etc, digest);
  ASSERT_EQ(stored->records.size(), 1u);
  EXPECT_EQ(stored->records[0].format, signature::SignatureFormat::kSigstoreBundle);
  EXPECT_EQ(stored->manifest, manifest);
  // The real model-signing bundle is signed by a key this host does not trust.
  EXPECT_EQ(
      RunSignatureCtl(etc, {"signature", "import", "--bundle",
                            std::string(VERIFIED_SOURCE_DIR) +
                                "/tests/fixtures/signatures/sigstore-bundle/model-signing-key-dsse/"
                                "bundle.sigstore.json"}),
      kExitError);
}

TEST(CmdSignature, RequestMustNameExactlyOneSource) {
  TempDir dir;
  EXPECT_FALSE(ImportSignatures(dir / "etc", Request("")).ok());
  EXPECT_FALSE(ImportSignatures(dir / "etc", Request("x", "y")).ok());
  EXPECT_FALSE(ImportSignatures(dir / "etc", Request("x", "", "m")).ok());
  EXPECT_FALSE(ImportSignatures(dir / "etc", Request("", "", "", "s")).ok());
}

}  // namespace
}  // namespace verified::ctl
