#include "verifier/signature/signed_manifest.h"

#include <gtest/gtest.h>

#include "unit/verifier/signature/signing_test_util.h"
#include "verifier/signature/manifest_binding.h"

namespace verified::signature {
namespace {

const std::string kA = "sha256:" + std::string(64, 'a');
const std::string kB = "sha256:" + std::string(64, 'b');

void ExpectManifestRefused(const std::string& text, std::string_view why) {
  auto m = ParseSignedManifest(text);
  ASSERT_FALSE(m.ok()) << text;
  EXPECT_NE(m.error().What().find(why), std::string::npos) << m.error().What();
}

TEST(SignedManifest, ReadsTheConfigOfARealDockerManifest) {
  auto m =
      ParseSignedManifest(testing::SignatureFixture("cosign/dir-img-cosign-valid/manifest.json"));
  ASSERT_TRUE(m.ok()) << m.error().What();
  EXPECT_FALSE(m->is_index);
  EXPECT_EQ(m->config_digest,
            "sha256:961769676411f082461f9ef46626dd7a2d1e2b2a38e6a44364bcbecf51e66dd4");
}

TEST(SignedManifest, ReadsAnIndexAndAnOciManifestWithoutMediaType) {
  auto i = ParseSignedManifest(
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"digest":")" +
      kA + R"("},{"digest":")" + kB + R"("}]})");
  ASSERT_TRUE(i.ok()) << i.error().What();
  EXPECT_TRUE(i->is_index);
  EXPECT_EQ(i->manifests, (std::vector<std::string>{kA, kB}));
  auto m =
      ParseSignedManifest(R"({"schemaVersion":2,"config":{"digest":")" + kA + R"("},"layers":[]})");
  ASSERT_TRUE(m.ok()) << m.error().What();
  EXPECT_EQ(m->config_digest, kA);
  // Go's decoder matches keys case-insensitively: "Config" is the config.
  auto folded = ParseSignedManifest(R"({"schemaVersion":2,"Config":{"Digest":")" + kA + R"("}})");
  ASSERT_TRUE(folded.ok()) << folded.error().What();
  EXPECT_EQ(folded->config_digest, kA);
}

TEST(SignedManifest, RefusesAmbiguousAndForeignDocuments) {
  std::string cfg = R"("config":{"digest":")" + kA + R"("})";
  ExpectManifestRefused(R"({"schemaVersion":2,)" + cfg + R"(,"Config":{"digest":")" + kB + R"("}})",
                        "manifest");
  ExpectManifestRefused(R"({"schemaVersion":1,)" + cfg + "}", "schemaVersion is not 2");
  ExpectManifestRefused(R"({"schemaVersion":2,)" + cfg + R"(,"manifests":[]})",
                        "both config and manifests");
  ExpectManifestRefused(R"({"schemaVersion":2})", "neither config nor manifests");
  ExpectManifestRefused(
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",)" + cfg + "}",
      "a manifest with mediaType");
  ExpectManifestRefused(
      R"({"schemaVersion":2,"config":{"digest":"sha512:)" + std::string(128, 'a') + R"("}})",
      "is not sha256");
  ExpectManifestRefused(R"({"schemaVersion":2,"config":{"digest":"sha256:ABC"}})",
                        "manifest config digest");
  ExpectManifestRefused(R"({"schemaVersion":2,"config":{}})", "no digest string");
  ExpectManifestRefused("[]", "not a JSON object");
  ExpectManifestRefused(std::string(kMaxManifestBytes + 1, ' '), "exceeds the limit");
  std::string many = R"({"schemaVersion":2,"manifests":[)";
  for (size_t n = 0; n <= kMaxIndexManifests; ++n)
    many += (n ? "," : "") + std::string(R"({"digest":")") + kA + "\"}";
  ExpectManifestRefused(many + "]}", "at most");
}

}  // namespace
}  // namespace verified::signature
