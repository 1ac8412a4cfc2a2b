#include "verifier/checks/signed_by.h"

#include <gtest/gtest.h>

#include "unit/verifier/checks/signed_image_fixture.h"
#include "verifier/checks/catalog.h"
#include "verifier/registry/registration_store.h"

namespace verified {
namespace {

using testing::MakeTestImage;
using testing::SignedFixture;
using testing::SignedRecord;
using testing::SimpleSigningPayloadFor;

const std::string kSignedRepo = "docker.io/signed/app";

// The requirement a rule with these values builds, as the policy parser combines them.
RequirementPtr SignedByRule(const nlohmann::json& require) {
  std::vector<RequirementPtr> reqs;
  for (const auto& [name, value] : require.items())
    reqs.push_back(MakeRequirement(name, value).value());
  auto combined = CombineSignatureRequirements(std::move(reqs));
  EXPECT_TRUE(combined.ok()) << combined.error().What();
  EXPECT_EQ(combined->size(), 1u);
  return combined->front();
}

Finding Check(const SignedFixture& f, const ResolvedImage& img, const nlohmann::json& require) {
  RegistrationStore regs(f.config_dir());
  CheckContext ctx{img, nullptr, false, nullptr, nullptr, regs};
  return SignedByRule(require)->Check(ctx);
}

void ExpectRefused(const Finding& f, std::string_view why) {
  EXPECT_EQ(f.outcome, Outcome::kFail) << f.message;
  EXPECT_NE(f.message.find(why), std::string::npos) << f.message;
}

class SignedByTest : public ::testing::Test {
 protected:
  SignedFixture f{{"ci", "release", "other"}};
  testing::TestImage img = MakeTestImage("app");
  ResolvedImage resolved = f.Resolved(img, {kSignedRepo + ":1"});

  void Sign(const std::string& key, const std::string& reference = kSignedRepo + ":1") {
    f.Store(SignedRecord(f.signer(key), SimpleSigningPayloadFor(img.manifest_digest, reference),
                         img.manifest_digest),
            img.manifest);
  }
};

TEST_F(SignedByTest, TrustedKeyOverTheImagesManifestPasses) {
  Sign("ci");
  Finding r = Check(f, resolved, {{"signed_by", "ci"}});
  EXPECT_EQ(r.outcome, Outcome::kPass) << r.message;
  EXPECT_NE(r.message.find("by key ci for repository docker.io/signed/app: counted"),
            std::string::npos)
      << r.message;
  // The finding says which links were proven.
  EXPECT_NE(r.message.find("stored with the signature"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("names config " + img.image_id + " = the image ID, whose diff_ids"),
            std::string::npos)
      << r.message;
}

TEST_F(SignedByTest, UnsignedImageIsRefusedSayingWhereItLooked) {
  Finding r = Check(f, resolved, {{"signed_by", "ci"}});
  ExpectRefused(r, "no signature is stored for this image");
  EXPECT_EQ(r.actual, "unsigned");
}

TEST_F(SignedByTest, OnlyTheRulesKeysCount) {
  Sign("other");  // a key the host trusts, but not one this rule names
  ExpectRefused(Check(f, resolved, {{"signed_by", "ci,release"}}),
                "signed by key other, which this rule does not name (it names ci, release)");
  EXPECT_EQ(Check(f, resolved, {{"signed_by", "other"}}).outcome, Outcome::kPass);
}

TEST_F(SignedByTest, UntrustedKeyIsRefused) {
  testing::TestSigner stranger("P-256");
  f.Store(SignedRecord(stranger, SimpleSigningPayloadFor(img.manifest_digest, kSignedRepo),
                       img.manifest_digest),
          img.manifest);
  ExpectRefused(Check(f, resolved, {{"signed_by", "ci"}}), "not counted");
}

TEST_F(SignedByTest, SignatureForAnotherDigestIsRefused) {
  // A valid signature by ci, over another image's manifest digest, stored (by a careless or
  // hostile import) where this image's signatures are looked up.
  auto other = MakeTestImage("other");
  auto r = SignedRecord(f.signer("ci"), SimpleSigningPayloadFor(other.manifest_digest, kSignedRepo),
                        other.manifest_digest);
  r.digest = img.manifest_digest;
  f.Store(r, img.manifest);
  ExpectRefused(Check(f, resolved, {{"signed_by", "ci"}}),
                "signed " + other.manifest_digest + ", not " + img.manifest_digest);
}

TEST_F(SignedByTest, ManifestOfAnotherImageIsRefusedNamingTheConfig) {
  // A correctly signed manifest whose config is another image: the signature is genuine, the
  // image running is not the one it approves.
  auto other = MakeTestImage("other");
  f.Store(SignedRecord(f.signer("ci"), SimpleSigningPayloadFor(other.manifest_digest, kSignedRepo),
                       other.manifest_digest),
          other.manifest);
  resolved.manifest_files.push_back(f.EngineFile(other.manifest));  // as if the engine kept it
  ExpectRefused(Check(f, resolved, {{"signed_by", "ci"}}),
                "names config " + other.image_id + ", not this image's ID " + img.image_id);
}

TEST_F(SignedByTest, RepositoryIdentityRefusesARetaggedImageDigestIdentityAllowsIt) {
  Sign("ci");
  ResolvedImage retagged = f.Resolved(img, {"docker.io/elsewhere/app:1"});
  ExpectRefused(Check(f, retagged, {{"signed_by", "ci"}}),
                "signed for repository docker.io/signed/app, and the image is stored as "
                "docker.io/elsewhere/app");
  EXPECT_EQ(Check(f, retagged, {{"signed_by", "ci"}, {"signed_identity", "digest"}}).outcome,
            Outcome::kPass);
  // Spellings normalise: index.docker.io/signed/app is docker.io/signed/app.
  ResolvedImage other_spelling = f.Resolved(img, {"index.docker.io/signed/app:2"});
  EXPECT_EQ(Check(f, other_spelling, {{"signed_by", "ci"}}).outcome, Outcome::kPass);
}

TEST_F(SignedByTest, SignaturesCountDistinctKeys) {
  Sign("ci");
  Sign("ci", kSignedRepo + ":other-tag");  // a second signature by the same key counts once
  Finding one = Check(f, resolved, {{"signed_by", "ci,release"}, {"signatures", 2}});
  ExpectRefused(one, "1 of 2 needed");
  EXPECT_NE(one.message.find("already counted"), std::string::npos) << one.message;
  Sign("release");
  EXPECT_EQ(Check(f, resolved, {{"signed_by", "ci,release"}, {"signatures", 2}}).outcome,
            Outcome::kPass);
}

TEST_F(SignedByTest, EngineManifestIsUsedAndMustHash) {
  Sign("ci");
  ManifestFile file = f.EngineFile(img.manifest);
  resolved.manifest_files.push_back(file);
  Finding ok = Check(f, resolved, {{"signed_by", "ci"}});
  EXPECT_EQ(ok.outcome, Outcome::kPass) << ok.message;
  EXPECT_NE(ok.message.find("the engine's " + file.path), std::string::npos) << ok.message;
  testing::WriteFile(file.path, img.manifest + " ");  // changed on disk after the engine wrote it
  ExpectRefused(Check(f, resolved, {{"signed_by", "ci"}}), "but it hashes to");
}

TEST_F(SignedByTest, SignedIndexCountsThroughAManifestTheEngineKeeps) {
  std::string index = testing::MakeIndex({img.manifest_digest});
  ManifestFile index_file = f.EngineFile(index);
  f.Store(SignedRecord(f.signer("ci"), SimpleSigningPayloadFor(index_file.digest, kSignedRepo),
                       index_file.digest),
          std::nullopt);
  resolved.manifest_files.push_back(index_file);
  ExpectRefused(Check(f, resolved, {{"signed_by", "ci"}}), "none of which the engine keeps");
  resolved.manifest_files.push_back(f.EngineFile(img.manifest));
  Finding r = Check(f, resolved, {{"signed_by", "ci"}});
  EXPECT_EQ(r.outcome, Outcome::kPass) << r.message;
  EXPECT_NE(r.message.find("lists manifest " + img.manifest_digest), std::string::npos)
      << r.message;
}

TEST_F(SignedByTest, SignedDigestWithoutManifestBytesIsRefused) {
  // The engine records the digest but the bytes are neither kept by it nor imported.
  f.Store(SignedRecord(f.signer("ci"), SimpleSigningPayloadFor(img.manifest_digest, kSignedRepo),
                       img.manifest_digest),
          std::nullopt);
  ManifestFile missing{img.manifest_digest, "/nonexistent/manifest"};
  resolved.manifest_files.push_back(missing);
  ExpectRefused(Check(f, resolved, {{"signed_by", "ci"}}), "not counted");
}

TEST_F(SignedByTest, BundleCountsUnderRepositoryIdentityOnlyThroughThePattern) {
  f.Store(testing::BundleRecord(f.signer("ci"), img.manifest_digest), img.manifest);
  Finding r = Check(f, resolved, {{"signed_by", "ci"}});
  EXPECT_EQ(r.outcome, Outcome::kPass) << r.message;
  EXPECT_NE(r.message.find("a bundle binds no name, the rule's pattern does"), std::string::npos)
      << r.message;
}

TEST_F(SignedByTest, MissingKeyFailsNamingIt) {
  Sign("ci");
  ExpectRefused(Check(f, resolved, {{"signed_by", "nokey"}}), "trusted key nokey");
}

TEST_F(SignedByTest, ABrokenStoreFailsClosedNamingTheFile) {
  Sign("ci");
  std::string stray =
      f.config_dir() + "/signatures/sha256-" + img.manifest_digest.substr(7) + "/stray.json";
  testing::WriteFile(stray, "{}");
  Finding r = Check(f, resolved, {{"signed_by", "ci"}});
  ExpectRefused(r, "the signature store cannot be read");
  EXPECT_NE(r.message.find("stray.json"), std::string::npos) << r.message;
}

TEST_F(SignedByTest, ManySignaturesAreSummarised) {
  for (int i = 0; i < 12; ++i) Sign("other", kSignedRepo + ":t" + std::to_string(i));
  Finding r = Check(f, resolved, {{"signed_by", "ci"}});
  ExpectRefused(r, "and 4 more");
}

}  // namespace
}  // namespace verified
