#include "ctl/attestation_import.h"

#include <gtest/gtest.h>

#include "ctl/cmd_attestation.h"
#include "ctl/cmd_key.h"
#include "unit/support/run_ctl.h"
#include "unit/support/temp_dir.h"
#include "unit/verifier/attestation/attestation_test_util.h"
#include "verifier/attestation/attestation_store.h"
#include "verifier/crypto/sha256.h"

namespace verified::ctl {
namespace {

using testing::AttestationBundle;
using testing::StatementFor;
using testing::TempDir;
using testing::TestSigner;

const std::string kManifest =
    R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
    R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,)"
    R"("digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},)"
    R"("layers":[]})";
const std::string kDigest = Sha256Digest(kManifest);

int RunCtl(const std::string& etc, std::vector<std::string> args) {
  return testing::RunCtl(etc, std::move(args), [](CLI::App& app, CtlContext& ctx) {
    AddKeyCommands(app, ctx);
    AddAttestationCommands(app, ctx);
  });
}

class AttestationImportTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::string etc = dir / "etc";
  TestSigner ci{"P-256"};

  void SetUp() override {
    testing::WriteFile(dir / "ci.pub", ci.PublicPem());
    ASSERT_EQ(RunCtl(etc, {"key", "add", "ci", dir / "ci.pub"}), 0);
    testing::WriteFile(dir / "manifest.json", kManifest);
  }
  std::string Bundle(const TestSigner& s, const std::string& statement) {
    std::string path = dir / ("b" + std::to_string(n_++) + ".json");
    testing::WriteFile(path, AttestationBundle(s, statement));
    return path;
  }
  size_t Stored(const std::string& digest = kDigest) {
    auto s = attestation::AttestationsFor(etc, digest);
    EXPECT_TRUE(s.ok()) << s.error().What();
    return s.ok() ? s->bundles.size() : 0;
  }
  int n_ = 0;
};

std::string Sbom(const std::string& digest) {
  return StatementFor(digest, std::string(attestation::kSpdxPredicateType),
                      testing::SpdxDocument());
}

TEST_F(AttestationImportTest, ABundleImportsUnderItsSubjectWithOrWithoutTheManifest) {
  auto r = ImportAttestations(etc, {Bundle(ci, Sbom(kDigest)), dir / "manifest.json"});
  ASSERT_TRUE(r.ok()) << r.error().What();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_TRUE((*r)[0].added);
  EXPECT_EQ((*r)[0].digest, kDigest);
  EXPECT_EQ((*r)[0].verified.key_name, "ci");
  EXPECT_EQ(attestation::AttestationsFor(etc, kDigest)->manifest, kManifest);
  // Without --manifest: the single subject.
  auto vuln = StatementFor(kDigest, std::string(attestation::kVulnPredicateType),
                           testing::VulnPredicate("2026-12-01T10:00:05Z", {}));
  EXPECT_EQ(RunCtl(etc, {"attestation", "import", Bundle(ci, vuln)}), 0);
  EXPECT_EQ(Stored(), 2u);
  EXPECT_EQ(RunCtl(etc, {"attestation", "list", "--json"}), 0);
}

TEST_F(AttestationImportTest, UntrustedKeyOrAnotherManifestStoresNothing) {
  TestSigner stranger("P-256");
  auto r = ImportAttestations(etc, {Bundle(stranger, Sbom(kDigest)), ""});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().What().find("signed by no trusted key"), std::string::npos)
      << r.error().What();
  std::string other = "sha256:" + std::string(64, 'a');
  auto m = ImportAttestations(etc, {Bundle(ci, Sbom(other)), dir / "manifest.json"});
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().What().find("do not include the manifest's digest"), std::string::npos)
      << m.error().What();
  EXPECT_EQ(Stored(), 0u);
  EXPECT_EQ(Stored(other), 0u);
}

TEST_F(AttestationImportTest, SeveralSubjectsNeedTheManifest) {
  nlohmann::json st = nlohmann::json::parse(Sbom(kDigest));
  st["subject"].push_back({{"digest", {{"sha256", std::string(64, 'b')}}}});
  std::string path = Bundle(ci, st.dump());
  auto r = ImportAttestations(etc, {path, ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kInvalidArgument) << r.error().What();
  EXPECT_TRUE(ImportAttestations(etc, {path, dir / "manifest.json"}).ok());
  EXPECT_EQ(Stored(), 1u);
}

TEST_F(AttestationImportTest, ImageSignaturesAndKeylessBundlesAreNotImported) {
  auto sig = ImportAttestations(
      etc, {Bundle(ci, StatementFor(kDigest, "https://sigstore.dev/cosign/sign/v1", nullptr)), ""});
  ASSERT_FALSE(sig.ok());
  EXPECT_NE(sig.error().What().find("signature import"), std::string::npos);
  std::string keyless = std::string(VERIFIED_SOURCE_DIR) +
                        "/tests/fixtures/signatures/sigstore-bundle/cosign-attest-oci-keyless/"
                        "bundle.sigstore.json";
  auto k = ImportAttestations(etc, {keyless, ""});
  ASSERT_FALSE(k.ok());
  EXPECT_NE(k.error().What().find("keyless"), std::string::npos) << k.error().What();
  EXPECT_NE(RunCtl(etc, {"attestation", "import", keyless}), 0);
}

// A `cosign save` layout of an image with one attestation bundle attached as a referrer (cosign
// v3 leaves referrers out of index.json: they are found by their subject among the blobs).
class AttestationLayoutTest : public AttestationImportTest {
 protected:
  std::string Put(const std::string& bytes) {
    std::string d = Sha256Digest(bytes);
    testing::WriteFile(dir / ("layout/blobs/sha256/" + d.substr(7)), bytes);
    return d;
  }
  nlohmann::json Desc(const std::string& mt, const std::string& bytes) {
    return {{"mediaType", mt}, {"digest", Put(bytes)}, {"size", bytes.size()}};
  }
  void Layout(const std::string& bundle) {
    testing::WriteFile(dir / "layout/oci-layout", R"({"imageLayoutVersion": "1.0.0"})");
    nlohmann::json image = Desc("application/vnd.oci.image.manifest.v1+json", kManifest);
    image["annotations"] = {{"kind", "dev.cosignproject.cosign/image"}};
    std::string bt = "application/vnd.dev.sigstore.bundle.v0.3+json";
    nlohmann::json referrer = {{"schemaVersion", 2},
                               {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                               {"artifactType", bt},
                               {"config", Desc("application/vnd.oci.empty.v1+json", "{}")},
                               {"layers", {Desc(bt, bundle)}},
                               {"subject",
                                {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                 {"digest", kDigest},
                                 {"size", kManifest.size()}}}};
    Put(referrer.dump());
    nlohmann::json index = {{"schemaVersion", 2},
                            {"mediaType", "application/vnd.oci.image.index.v1+json"},
                            {"manifests", {image}}};
    testing::WriteFile(dir / "layout/index.json", index.dump());
  }
};

TEST_F(AttestationLayoutTest, ACosignSaveLayoutImportsItsAttestationWithTheImageManifest) {
  Layout(AttestationBundle(ci, Sbom(kDigest)));
  auto r = ImportAttestations(etc, {dir / "layout", ""});
  ASSERT_TRUE(r.ok()) << r.error().What();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].digest, kDigest);
  EXPECT_TRUE((*r)[0].with_manifest);
  EXPECT_EQ(attestation::AttestationsFor(etc, kDigest)->manifest, kManifest);
}

TEST_F(AttestationLayoutTest, LegacyAttManifestDsseLayersImport) {
  Layout(
      AttestationBundle(ci, StatementFor(kDigest, "https://sigstore.dev/cosign/sign/v1", nullptr)));
  // cosign attest (without the bundle format) writes sha256-<digest>.att: one DSSE envelope
  // per layer; cosign save lists it in index.json with kind dev.cosignproject.cosign/atts.
  auto b = nlohmann::json::parse(AttestationBundle(
      ci, StatementFor(kDigest, std::string(attestation::kVulnPredicateType),
                       testing::VulnPredicate("2026-12-01T10:00:05Z", {{"CVE-1", "LOW"}}))));
  std::string mt = "application/vnd.dsse.envelope.v1+json";
  nlohmann::json att = {{"schemaVersion", 2},
                        {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                        {"config", Desc("application/vnd.oci.image.config.v1+json", "{}")},
                        {"layers", {Desc(mt, b["dsseEnvelope"].dump())}}};
  auto index = nlohmann::json::parse(testing::ReadFile(dir / "layout/index.json"));
  auto d = Desc("application/vnd.oci.image.manifest.v1+json", att.dump());
  d["annotations"] = {{"kind", "dev.cosignproject.cosign/atts"}};
  index["manifests"].push_back(d);
  testing::WriteFile(dir / "layout/index.json", index.dump());
  auto r = ImportAttestations(etc, {dir / "layout", ""});
  ASSERT_TRUE(r.ok()) << r.error().What();
  ASSERT_EQ(r->size(), 1u);  // the image signature referrer is left to signature import
  EXPECT_EQ((*r)[0].verified.predicate.kind, attestation::PredicateKind::kVuln);
  EXPECT_EQ(Stored(), 1u);
}

TEST_F(AttestationLayoutTest, ALayoutWithOnlyAnImageSignatureHasNoAttestation) {
  Layout(
      AttestationBundle(ci, StatementFor(kDigest, "https://sigstore.dev/cosign/sign/v1", nullptr)));
  auto r = ImportAttestations(etc, {dir / "layout", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().What().find("no attestation bundle in the layout"), std::string::npos)
      << r.error().What();
  EXPECT_FALSE(ImportAttestations(etc, {dir / "layout", dir / "manifest.json"}).ok());
}

}  // namespace
}  // namespace verified::ctl
