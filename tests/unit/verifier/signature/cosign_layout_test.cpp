// `cosign save` OCI layouts, built at test time the way cosign writes them (pkg/oci/layout):
// the image, its `sigs` manifest with simple-signing layers, a v0.3 bundle referrer left out of
// index.json (as cosign v3's save leaves it), and the damage the parser must refuse.
#include "verifier/signature/cosign_layout.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "unit/support/temp_dir.h"
#include "unit/verifier/signature/signing_test_util.h"
#include "verifier/crypto/sha256.h"
#include "verifier/signature/cosign_simple_signing.h"
#include "verifier/signature/image_signer.h"
#include "verifier/signature/public_key.h"
#include "verifier/signature/sigstore_bundle.h"
#include "verifier/signature/sigstore_json_signature.h"
#include "verifier/core/base64.h"

namespace verified::signature {
namespace {

using nlohmann::json;

class CosignLayoutTest : public ::testing::Test {
 protected:
  std::string Put(const std::string& bytes) {
    std::string d = Sha256Digest(bytes);
    testing::WriteFile(dir_ / "blobs/sha256/" + d.substr(7), bytes);
    return d;
  }
  json Desc(const std::string& mt, const std::string& bytes, json annotations = nullptr) {
    json d = {{"mediaType", mt}, {"digest", Put(bytes)}, {"size", bytes.size()}};
    if (!annotations.is_null()) d["annotations"] = annotations;
    return d;
  }
  void SetUp() override {
    testing::WriteFile(dir_ / "oci-layout", R"({"imageLayoutVersion": "1.0.0"})");
    json image = {{"schemaVersion", 2},
                  {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                  {"config", Desc("application/vnd.oci.image.config.v1+json", "{}")},
                  {"layers", json::array()}};
    image_bytes_ = image.dump();
    image_digest_ = Sha256Digest(image_bytes_);
    payload_ = MakeSimpleSigningPayload("docker.io/library/app", image_digest_);
    sig_ = Base64Encode(signer_.Sign(payload_, "SHA256"));
    json sigs = {{"schemaVersion", 2},
                 {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                 {"config", Desc("application/vnd.oci.image.config.v1+json", R"({"x":1})")},
                 {"layers",
                  {Desc(std::string(kCosignSimpleSigningMimeType), payload_,
                        {{std::string(kCosignSignatureAnnotation), sig_}})}}};
    index_ = {{"schemaVersion", 2},
              {"mediaType", "application/vnd.oci.image.index.v1+json"},
              {"manifests",
               {Desc("application/vnd.oci.image.manifest.v1+json", image_bytes_,
                     {{"kind", "dev.cosignproject.cosign/image"}}),
                Desc("application/vnd.oci.image.manifest.v1+json", sigs.dump(),
                     {{"kind", "dev.cosignproject.cosign/sigs"}})}}};
    WriteIndex();
  }
  void WriteIndex() { testing::WriteFile(dir_ / "index.json", index_.dump()); }
  // A bundle referrer as cosign v3 attaches it (subject = the image).
  std::string AddBundleReferrer(const std::string& bundle) {
    json m = {{"schemaVersion", 2},
              {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
              {"artifactType", std::string(kBundleMediaTypeV03)},
              {"config", Desc("application/vnd.oci.empty.v1+json", "{}")},
              {"layers", {Desc(std::string(kBundleMediaTypeV03), bundle)}},
              {"subject",
               {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                {"digest", image_digest_},
                {"size", image_bytes_.size()}}}};
    return Put(m.dump());
  }

  testing::TempDir dir_;
  testing::TestSigner signer_{"P-256"};
  json index_;
  std::string image_bytes_, image_digest_, payload_, sig_;
};

TEST_F(CosignLayoutTest, ReadsTheImageAndItsSimpleSigningSignatures) {
  auto l = ReadCosignLayout(dir_.path());
  ASSERT_TRUE(l.ok()) << l.error().What();
  EXPECT_EQ(l->image_digest, image_digest_);
  EXPECT_EQ(l->image_bytes, image_bytes_);
  ASSERT_EQ(l->records.size(), 1u);
  const SignatureRecord& r = l->records[0];
  EXPECT_EQ(r.format, SignatureFormat::kSimpleSigning);
  EXPECT_EQ(r.payload, payload_);
  EXPECT_EQ(r.signature_base64, sig_);
  auto key = PublicKey::Parse(signer_.PublicPem(), "ci");
  ASSERT_TRUE(key.ok());
  auto v = VerifySimpleSigning(*key, r.payload, r.signature_base64);
  ASSERT_TRUE(v.ok()) << v.error().What();
  EXPECT_EQ(v->manifest_digest, image_digest_);
  EXPECT_TRUE(IsOciLayoutDir(dir_.path()));
}

TEST_F(CosignLayoutTest, FindsBundleReferrersOutsideIndexJson) {
  std::string referrer = AddBundleReferrer(R"({"mediaType":"bundle-bytes"})");
  // Another image's referrer is not this image's signature.
  json other = {{"schemaVersion", 2},
                {"artifactType", std::string(kBundleMediaTypeV03Alt)},
                {"layers", {Desc(std::string(kBundleMediaTypeV03Alt), "other")}},
                {"subject", {{"digest", Sha256Digest("another image")}}}};
  Put(other.dump());
  auto l = ReadCosignLayout(dir_.path());
  ASSERT_TRUE(l.ok()) << l.error().What();
  ASSERT_EQ(l->records.size(), 2u);
  EXPECT_EQ(l->records[1].format, SignatureFormat::kSigstoreBundle);
  EXPECT_EQ(l->records[1].bundle, R"({"mediaType":"bundle-bytes"})");
  // Listed in index.json (kind image, as WriteSignedImage annotates it): read once, not twice.
  index_["manifests"].push_back({{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                 {"digest", referrer},
                                 {"annotations", {{"kind", "dev.cosignproject.cosign/image"}}}});
  WriteIndex();
  l = ReadCosignLayout(dir_.path());
  ASSERT_TRUE(l.ok()) << l.error().What();
  EXPECT_EQ(l->records.size(), 2u);
  EXPECT_EQ(l->image_digest, image_digest_);
}

TEST_F(CosignLayoutTest, RefusesDamage) {
  auto kind = [&] { return ReadCosignLayout(dir_.path()).error().kind(); };
  // A payload blob whose bytes were changed no longer hashes to its name.
  std::string payload_blob = dir_ / "blobs/sha256/" + Sha256Digest(payload_).substr(7);
  testing::WriteFile(payload_blob, payload_ + " ");
  EXPECT_EQ(kind(), ErrorKind::kIntegrity);
  testing::WriteFile(payload_blob, payload_);
  // A symlinked blob is not followed.
  std::filesystem::remove(payload_blob);
  std::filesystem::create_symlink("/etc/hostname", payload_blob);
  EXPECT_FALSE(ReadCosignLayout(dir_.path()).ok());
  std::filesystem::remove(payload_blob);
  testing::WriteFile(payload_blob, payload_);
  ASSERT_TRUE(ReadCosignLayout(dir_.path()).ok());
  // A descriptor size that is not the blob's.
  json saved = index_;
  index_["manifests"][0]["size"] = 1;
  WriteIndex();
  EXPECT_EQ(kind(), ErrorKind::kIntegrity);
  // A digest that is not sha256 hex (no path is ever built from it).
  index_ = saved;
  index_["manifests"][0]["digest"] = "sha256:../../etc/passwd";
  WriteIndex();
  EXPECT_EQ(kind(), ErrorKind::kParse);
  // Two images, no image, duplicate keys, too many entries.
  index_ = saved;
  index_["manifests"].push_back(index_["manifests"][0]);
  index_["manifests"][2]["digest"] = Put(R"({"config":{}})");
  index_["manifests"][2].erase("size");
  WriteIndex();
  EXPECT_EQ(kind(), ErrorKind::kParse);
  index_ = saved;
  index_["manifests"].erase(0);
  WriteIndex();
  EXPECT_EQ(kind(), ErrorKind::kParse);
  testing::WriteFile(dir_ / "index.json", R"({"manifests":[],"manifests":[]})");
  EXPECT_EQ(kind(), ErrorKind::kParse);
  index_ = saved;
  for (int i = 0; i < 70; ++i) index_["manifests"].push_back(saved["manifests"][1]);
  WriteIndex();
  EXPECT_EQ(kind(), ErrorKind::kTooLarge);
  // A sigs layer without its signature annotation.
  index_ = saved;
  json bare = {{"layers", {Desc(std::string(kCosignSimpleSigningMimeType), payload_)}}};
  index_["manifests"][1] = Desc("application/vnd.oci.image.manifest.v1+json", bare.dump(),
                                {{"kind", "dev.cosignproject.cosign/sigs"}});
  WriteIndex();
  EXPECT_EQ(kind(), ErrorKind::kParse);
  // No signature at all.
  index_ = saved;
  index_["manifests"].erase(1);
  WriteIndex();
  EXPECT_EQ(kind(), ErrorKind::kNotFound);
  // Not an OCI layout.
  testing::WriteFile(dir_ / "oci-layout", R"({"imageLayoutVersion":"2.0.0"})");
  EXPECT_EQ(kind(), ErrorKind::kParse);
}

// The parser over memory (as the fuzz target drives it).
class MemFiles : public LayoutFiles {
 public:
  std::map<std::string, std::string> files;
  Result<std::string> Read(std::string_view rel, size_t limit) const override {
    auto it = files.find(std::string(rel));
    if (it == files.end()) return MakeError(ErrorKind::kNotFound, "{} absent", rel);
    if (it->second.size() > limit) return MakeError(ErrorKind::kTooLarge, "{} too large", rel);
    return it->second;
  }
  Result<std::vector<std::pair<std::string, uint64_t>>> ListBlobs(size_t) const override {
    return std::vector<std::pair<std::string, uint64_t>>();
  }
};

TEST(CosignLayoutMemory, OversizedIndexIsRefused) {
  MemFiles m;
  m.files["oci-layout"] = R"({"imageLayoutVersion":"1.0.0"})";
  m.files["index.json"] = std::string(kMaxLayoutIndexBytes + 1, ' ');
  EXPECT_EQ(ParseCosignLayout(m, "mem").error().kind(), ErrorKind::kTooLarge);
}

}  // namespace
}  // namespace verified::signature
