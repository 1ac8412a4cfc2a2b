#include "verifier/policy/policy_keys.h"

#include <gtest/gtest.h>

#include "unit/support/temp_dir.h"
#include "unit/verifier/checks/signed_image_fixture.h"
#include "verifier/config/config_dir.h"
#include "verifier/policy/policy_file.h"

namespace verified {
namespace {

TEST(PolicyKeys, LoadRefusesAPolicyNamingAKeyTheHostLacks) {
  testing::SignedFixture f({"ci"});
  testing::WriteFile(
      PolicyPath(f.config_dir()),
      R"({"rules":[{"match":"app/*","action":"allow","require":{"signed_by":"ci"}}]})");
  auto ok = LoadPolicy(f.config_dir());
  EXPECT_TRUE(ok.ok()) << ok.error().What();
  testing::WriteFile(
      PolicyPath(f.config_dir()),
      R"({"rules":[{"match":"app/*","action":"allow","require":{"signed_by":"ci,gone"}}]})");
  auto bad = LoadPolicy(f.config_dir());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().What().find("rule 1"), std::string::npos) << bad.error().What();
  EXPECT_NE(bad.error().What().find("names key gone"), std::string::npos) << bad.error().What();
  testing::WriteFile(PolicyPath(f.config_dir()), R"({"baseline":{"signed_by":"gone"}})");
  EXPECT_FALSE(LoadPolicy(f.config_dir()).ok());
}

TEST(PolicyKeys, PolicyWithoutSignedByNeedsNoKeys) {
  testing::TempDir dir;
  std::string etc = dir / "etc";
  testing::MakeDir(etc);
  testing::WriteFile(PolicyPath(etc), R"({"rules":[{"match":"app/*","action":"allow"}]})");
  auto p = LoadPolicy(etc);
  ASSERT_TRUE(p.ok()) << p.error().What();
  EXPECT_TRUE(CheckPolicyKeys(*p, etc).ok());
}

}  // namespace
}  // namespace verified
