// verifiedctl sign's pieces: the payload is byte for byte cosign's and passes the strict
// parser; the repository named comes from the image's own names; the manifest signed is the
// engine's (or, for Docker overlay2, the docker-daemon one).
#include "verifier/signature/image_signer.h"

#include <gtest/gtest.h>

#include "unit/verifier/store/containerd/fake_containerd.h"
#include "verifier/crypto/sha256.h"
#include "verifier/signature/cosign_simple_signing.h"
#include "verifier/signature/docker_daemon_manifest.h"
#include "verifier/signature/image_manifest.h"
#include "verifier/signature/key_generate.h"
#include "verifier/store/containerd/containerd_image.h"
#include "verifier/store/containerd/platform.h"

namespace verified::signature {
namespace {

const std::string kSignerDigest =
    "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00";

TEST(SimpleSigningPayload, IsCosignsBytes) {
  // cosign generate / sign (sigstore payload.SimpleContainerImage through encoding/json).
  EXPECT_EQ(MakeSimpleSigningPayload("docker.io/library/app", kSignerDigest),
            R"({"critical":{"identity":{"docker-reference":"docker.io/library/app"},)"
            R"("image":{"docker-manifest-digest":")" +
                kSignerDigest +
                R"("},"type":"cosign container image signature"},"optional":null})");
  auto parsed =
      ParseSimpleSigningPayload(MakeSimpleSigningPayload("docker.io/library/app", kSignerDigest));
  ASSERT_TRUE(parsed.ok()) << parsed.error().What();
  EXPECT_EQ(parsed->repository, "docker.io/library/app");
  EXPECT_EQ(parsed->manifest_digest, kSignerDigest);
}

TEST(SignManifestDigest, SignsAndVerifies) {
  auto pair = GenerateEcdsaP256("ci");
  ASSERT_TRUE(pair.ok());
  auto key = PrivateKey::ParsePem(pair->private_pem, "ci");
  ASSERT_TRUE(key.ok());
  auto r = SignManifestDigest(*key, "docker.io/library/app", kSignerDigest);
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_EQ(r->digest, kSignerDigest);
  auto v = VerifySignatureRecord(*r, {pair->public_key});
  ASSERT_TRUE(v.ok()) << v.error().What();
  EXPECT_EQ(v->repository, "docker.io/library/app");
  EXPECT_FALSE(SignManifestDigest(*key, "docker.io/library/app", "sha256:abc").ok());
}

TEST(SigningRepository, ComesFromTheImagesNames) {
  ResolvedImage img;
  img.image_id = kSignerDigest;
  img.names = {"docker.io/library/app:1", "docker.io/library/app:latest"};
  EXPECT_EQ(*SigningRepository(img, ""), "docker.io/library/app");
  img.names.push_back("docker.io/evil/app:1");
  EXPECT_EQ(SigningRepository(img, "").error().kind(), ErrorKind::kInvalidArgument);
  img.typed_reference = "app:1";
  img.typed_confirmed = true;
  EXPECT_EQ(*SigningRepository(img, ""), "docker.io/library/app");
  EXPECT_EQ(*SigningRepository(img, "evil/app"), "docker.io/evil/app");
  // An identity the image does not carry is refused: no signing names the image never had.
  EXPECT_EQ(SigningRepository(img, "other/app").error().kind(), ErrorKind::kInvalidArgument);
  ResolvedImage nameless;
  EXPECT_EQ(SigningRepository(nameless, "").error().kind(), ErrorKind::kInvalidArgument);
}

TEST(DockerDaemonManifest, IsWhatContainersImageGenerates) {
  std::string cfg = Sha256Digest("config");
  std::string l1 = Sha256Digest("l1"), l2 = Sha256Digest("l2");
  EXPECT_EQ(
      DockerDaemonManifestJson(cfg, 1234, {{l1, 10240}, {l2, 3072}}),
      R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",)"
      R"("config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1234,)"
      R"("digest":")" +
          cfg +
          R"("},"layers":[)"
          R"({"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":10240,"digest":")" +
          l1 +
          R"("},)"
          R"({"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":3072,"digest":")" +
          l2 + R"("}]})");
  std::string empty = DockerDaemonManifestJson(cfg, 2, {});
  EXPECT_EQ(empty.substr(empty.size() - 12), R"("layers":[]})");
  ResolvedImage other;
  other.engine = "containerd";
  EXPECT_EQ(DockerDaemonManifest(other).error().kind(), ErrorKind::kUnsupported);
}

TEST(ManifestForSigning, TakesTheEnginesPlatformManifest) {
  testing::TempDir tmp;
  testing::FakeContainerd fake(tmp / "root", "default");
  auto img =
      fake.AddImage({"a"}, /*with_index=*/true, true, containerd::HostPlatform().architecture);
  fake.TagImage("docker.io/library/app:1", img);
  fake.Write();
  auto loaded = containerd::LoadContainerdImage(tmp / "root", "default", "app:1");
  ASSERT_TRUE(loaded.ok()) << loaded.error().What();
  auto m = ManifestForSigning(*loaded);
  ASSERT_TRUE(m.ok()) << m.error().What();
  EXPECT_EQ(m->digest, img.manifest_digest);  // not the index
  EXPECT_EQ(Sha256Digest(m->bytes), img.manifest_digest);
  EXPECT_FALSE(m->generated);
  // A manifest blob changed on disk is refused, not signed.
  testing::WriteFile(loaded->manifest_files.back().path, "{}");
  EXPECT_EQ(ManifestForSigning(*loaded).error().kind(), ErrorKind::kIntegrity);
  // An engine with neither manifests nor a generator.
  ResolvedImage bare;
  bare.engine = "containerd";
  EXPECT_EQ(ManifestForSigning(bare).error().kind(), ErrorKind::kUnsupported);
}

}  // namespace
}  // namespace verified::signature
