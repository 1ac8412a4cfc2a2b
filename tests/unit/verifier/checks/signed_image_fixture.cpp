#include "unit/verifier/checks/signed_image_fixture.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "verifier/crypto/sha256.h"
#include "verifier/signature/dsse.h"
#include "verifier/signature/in_toto_statement.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/public_key.h"
#include "verifier/signature/signature_store.h"
#include "verifier/signature/sigstore_bundle.h"
#include "verifier/core/base64.h"

namespace verified::testing {

TestImage MakeTestImage(const std::string& seed) {
  TestImage img;
  std::string diff = "sha256:" + Sha256Hex("layer of " + seed);
  img.config = nlohmann::json{{"architecture", "amd64"},
                              {"os", "linux"},
                              {"config", {{"Labels", {{"seed", seed}}}}},
                              {"rootfs", {{"type", "layers"}, {"diff_ids", {diff}}}}}
                   .dump();
  img.image_id = "sha256:" + Sha256Hex(img.config);
  img.manifest = nlohmann::json{
      {"schemaVersion", 2},
      {"mediaType", "application/vnd.docker.distribution.manifest.v2+json"},
      {"config",
       {{"mediaType", "application/vnd.docker.container.image.v1+json"},
        {"size", img.config.size()},
        {"digest", img.image_id}}},
      {"layers",
       {{{"mediaType", "application/vnd.docker.image.rootfs.diff.tar"},
         {"size", 1024},
         {"digest",
          diff}}}}}.dump();
  img.manifest_digest = "sha256:" + Sha256Hex(img.manifest);
  return img;
}

std::string MakeIndex(const std::vector<std::string>& manifest_digests) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& d : manifest_digests) {
    list.push_back({{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                    {"digest", d},
                    {"size", 100},
                    {"platform", {{"architecture", "amd64"}, {"os", "linux"}}}});
  }
  return nlohmann::json{{"schemaVersion", 2},
                        {"mediaType", "application/vnd.oci.image.index.v1+json"},
                        {"manifests", list}}
      .dump();
}

std::string SimpleSigningPayloadFor(const std::string& digest,
                                    const std::string& docker_reference) {
  return nlohmann::json{{"critical",
                         {{"identity", {{"docker-reference", docker_reference}}},
                          {"image", {{"docker-manifest-digest", digest}}},
                          {"type", "cosign container image signature"}}},
                        {"optional", nullptr}}
      .dump();
}

signature::SignatureRecord SignedRecord(const TestSigner& signer, const std::string& payload,
                                        const std::string& digest) {
  signature::SignatureRecord r;
  r.payload = payload;
  r.signature_base64 = Base64Encode(signer.Sign(payload, "SHA256"));
  r.digest = digest;
  r.source = "test";
  return r;
}

signature::SignatureRecord BundleRecord(const TestSigner& signer, const std::string& digest) {
  std::string statement =
      "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"" +
      digest.substr(7) + "\"}}],\"predicateType\":\"" +
      std::string(signature::kCosignSignPredicate) + "\"}";
  std::string sig =
      signer.Sign(signature::DssePae(signature::kInTotoPayloadType, statement), "SHA256");
  nlohmann::json b = {{"mediaType", signature::kBundleMediaTypeV03},
                      {"verificationMaterial", {{"publicKey", {{"hint", "h"}}}}},
                      {"dsseEnvelope",
                       {{"payload", Base64Encode(statement)},
                        {"payloadType", signature::kInTotoPayloadType},
                        {"signatures", {{{"sig", Base64Encode(sig)}}}}}}};
  signature::SignatureRecord r;
  r.format = signature::SignatureFormat::kSigstoreBundle;
  r.bundle = b.dump();
  r.digest = digest;
  r.source = "test";
  return r;
}

SignedFixture::SignedFixture(std::vector<std::string> key_names) {
  config_dir_ = dir_ / "etc";
  MakeDir(config_dir_);
  for (const auto& name : key_names) {
    auto signer = std::make_unique<TestSigner>("P-256");
    auto key = signature::PublicKey::Parse(signer->PublicPem(), name);
    EXPECT_TRUE(key.ok());
    auto st = signature::AddKey(config_dir_, *key);
    EXPECT_TRUE(st.ok()) << st.error().What();
    signers_.emplace_back(name, std::move(signer));
  }
}

const TestSigner& SignedFixture::signer(const std::string& key_name) const {
  for (const auto& [n, s] : signers_) {
    if (n == key_name) return *s;
  }
  ADD_FAILURE() << "no signer " << key_name;
  return *signers_.front().second;
}

ResolvedImage SignedFixture::Resolved(const TestImage& img, std::vector<std::string> names) const {
  ResolvedImage r;
  r.engine = "docker-overlay2";
  r.image_id = img.image_id;
  r.config = nlohmann::json::parse(img.config);
  r.names = std::move(names);
  return r;
}

void SignedFixture::Store(const signature::SignatureRecord& r,
                          const std::optional<std::string>& manifest) const {
  auto st = signature::StoreSignature(config_dir_, r, manifest);
  ASSERT_TRUE(st.ok()) << st.error().What();
}

ManifestFile SignedFixture::EngineFile(const std::string& bytes) const {
  ManifestFile f;
  f.digest = "sha256:" + Sha256Hex(bytes);
  f.path = dir_ / ("engine/" + f.digest.substr(7));
  WriteFile(f.path, bytes);
  return f;
}

}  // namespace verified::testing
