// "registered" binds the image config, not only the layer chain (issue 10: a metadata-only
// rebuild of a registered tag keeps every layer).
#include "verifier/checks/registered.h"

#include <gtest/gtest.h>

#include "tests/unit/verifier/checks/rule_fixture.h"
#include "unit/support/temp_dir.h"
#include "verifier/checks/registered_config.h"
#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"
#include "verifier/image/runtime_config.h"

namespace verified {
namespace {

using nlohmann::json;
using testing::Image;
using testing::RunRule;

class RegisteredTest : public ::testing::Test {
 protected:
  // The registered image: two layers, the fixture's config.
  RegisteredTest() : regs_(tmp_.path()), name_(*ParseReference("app:1.2")) {
    image_ = WithLayers(Image(), {"base", "app"});
  }

  static ResolvedImage WithLayers(ResolvedImage img, const std::vector<std::string>& seeds) {
    img.diff_ids.clear();
    for (const auto& s : seeds) img.diff_ids.push_back("sha256:" + Sha256Hex(s));
    img.chain_ids = ChainIds(img.diff_ids);
    img.config["rootfs"]["diff_ids"] = img.diff_ids;
    img.image_id = "sha256:" + Sha256Hex(img.config.dump());  // the config digest
    return img;
  }

  // A metadata-only rebuild of image_: same layers, `run` merged into its config.
  ResolvedImage Rebuilt(const json& run) const {
    ResolvedImage img = image_;
    img.config["config"].merge_patch(run);
    img.config["created"] = "2026-12-01T00:00:00Z";
    img.image_id = "sha256:" + Sha256Hex(img.config.dump());
    return img;
  }

  Registration Record(bool layers_only = false) const {
    Registration r;
    r.name = name_.String();
    r.image_id = image_.image_id;
    r.diff_ids = image_.diff_ids;
    r.chain_ids = image_.chain_ids;
    r.layers_only = layers_only;
    r.config = *ExtractRuntimeConfig(image_.config);
    return r;
  }

  Finding ByName(const ResolvedImage& img) {
    return RunRule("registered", true, img, nullptr, &name_, tmp_.path());
  }
  Finding ById(const ResolvedImage& img) {
    return RunRule("registered", true, img, nullptr, nullptr, tmp_.path());
  }

  testing::TempDir tmp_;
  RegistrationStore regs_;
  Reference name_;
  ResolvedImage image_;
};

TEST_F(RegisteredTest, TheRegisteredImageAndConfigPass) {
  ASSERT_TRUE(regs_.Put(Record()).ok());
  Finding f = ByName(image_);
  EXPECT_EQ(f.outcome, Outcome::kPass) << f.message;
  EXPECT_NE(f.message.find("layer chain and config equal"), std::string::npos) << f.message;
  EXPECT_EQ(ById(image_).outcome, Outcome::kPass);
}

TEST_F(RegisteredTest, MetadataOnlyRebuildsAreRefusedNamingTheField) {
  ASSERT_TRUE(regs_.Put(Record()).ok());
  struct Case {
    json run;
    std::string changed;
  } cases[] = {
      {{{"Entrypoint", {"/bin/sh", "-c", "id"}}}, "changed: entrypoint, created"},
      {{{"Env", {"PATH=/usr/bin:/bin", "LD_PRELOAD=/some/lib.so"}}},
       "changed: env (LD_PRELOAD added), created"},
      {{{"User", "0"}}, "changed: user, created"},
      {{{"Labels", {{"security.scan", "passed"}}}}, "changed: labels (security.scan added)"},
      {{{"Healthcheck", {{"Test", {"CMD", "true"}}}}}, "changed: healthcheck, created"},
  };
  for (const auto& c : cases) {
    ResolvedImage img = Rebuilt(c.run);
    ASSERT_EQ(img.chain_ids, image_.chain_ids);
    Finding f = ByName(img);
    EXPECT_EQ(f.outcome, Outcome::kFail) << c.run.dump();
    EXPECT_NE(f.message.find("image config differs from the registration: app:1.2 was registered "
                             "with config " +
                             image_.image_id + " but the image has config " + img.image_id),
              std::string::npos)
        << f.message;
    EXPECT_NE(f.message.find(c.changed), std::string::npos) << f.message;
    EXPECT_EQ(f.expected, image_.image_id);
    EXPECT_EQ(f.actual, img.image_id);
    // Run by ID, the registration with these layers is found by chain: refused the same way.
    Finding by_id = ById(img);
    EXPECT_EQ(by_id.outcome, Outcome::kFail);
    EXPECT_NE(by_id.message.find(c.changed), std::string::npos) << by_id.message;
  }
}

TEST_F(RegisteredTest, LayerChainDifferenceIsStillReportedFirst) {
  ASSERT_TRUE(regs_.Put(Record()).ok());
  Finding f = ByName(WithLayers(Image(), {"base", "app", "tamper"}));
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("layer chain differs from the registration"), std::string::npos);
}

TEST_F(RegisteredTest, LayersOnlyRegistrationAcceptsAnyConfigOverItsChain) {
  ASSERT_TRUE(regs_.Put(Record(/*layers_only=*/true)).ok());
  ResolvedImage img = Rebuilt({{"Entrypoint", {"/bin/sh"}}});
  Finding f = ByName(img);
  EXPECT_EQ(f.outcome, Outcome::kPass) << f.message;
  EXPECT_NE(f.message.find("(layers only)"), std::string::npos);
  EXPECT_EQ(ById(img).outcome, Outcome::kPass);
  // ... but still not another layer chain.
  EXPECT_EQ(ByName(WithLayers(Image(), {"base", "other"})).outcome, Outcome::kFail);
}

TEST_F(RegisteredTest, RecordsOfEarlierVersionsStillBindTheImageId) {
  Registration old = Record();
  old.config = json();  // written before configs were stored
  ASSERT_TRUE(regs_.Put(old).ok());
  EXPECT_EQ(ByName(image_).outcome, Outcome::kPass);
  Finding f = ByName(Rebuilt({{"User", "0"}}));
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("image config differs from the registration"), std::string::npos);
  EXPECT_NE(f.message.find("register it again: verifiedctl register app:1.2"), std::string::npos)
      << f.message;

  old.image_id.clear();  // no image ID at all: nothing binds the config, fail closed
  ASSERT_TRUE(regs_.Put(old).ok());
  f = ByName(image_);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("records no image config"), std::string::npos) << f.message;
}

TEST_F(RegisteredTest, ConfigDifferenceOnlyOutsideRuntimeFields) {
  ASSERT_TRUE(regs_.Put(Record()).ok());
  ResolvedImage img = image_;
  img.config["history"] = json::array({{{"created_by", "x"}}});
  img.image_id = "sha256:" + Sha256Hex(img.config.dump());
  Finding f = ByName(img);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("changed: no runtime setting"), std::string::npos) << f.message;
}

TEST(RegistrationBindsImage, ChainAndConfig) {
  ResolvedImage img;
  img.image_id = "sha256:" + std::string(64, 'a');
  img.diff_ids = {"sha256:" + std::string(64, 'b')};
  img.chain_ids = ChainIds(img.diff_ids);
  Registration r;
  r.image_id = img.image_id;
  r.chain_ids = img.chain_ids;
  EXPECT_TRUE(RegistrationBindsImage(r, img));
  EXPECT_EQ(ConfigDifference(r, img, "app:1"), "");
  r.image_id = "sha256:" + std::string(64, 'c');
  EXPECT_FALSE(RegistrationBindsImage(r, img));
  r.layers_only = true;
  EXPECT_TRUE(RegistrationBindsImage(r, img));
  r.chain_ids.clear();
  EXPECT_FALSE(RegistrationBindsImage(r, img));
  ResolvedImage no_id = img;  // an image whose ID is unknown never matches an empty one
  no_id.image_id.clear();
  Registration empty;
  empty.chain_ids = img.chain_ids;
  EXPECT_FALSE(RegistrationBindsImage(empty, no_id));
}

}  // namespace
}  // namespace verified
