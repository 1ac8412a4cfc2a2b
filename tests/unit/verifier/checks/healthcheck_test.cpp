#include "verifier/checks/healthcheck.h"

#include "tests/unit/verifier/checks/rule_fixture.h"

namespace verified {
namespace {

using testing::Image;
using testing::RunRule;

TEST(Healthcheck, AllowsDeclaredHealthcheck) {
  auto img = Image({{"Healthcheck", {{"Test", {"CMD-SHELL", "wget -q localhost"}}}}});
  EXPECT_EQ(RunRule("healthcheck", true, img, nullptr).outcome, Outcome::kPass);
}

TEST(Healthcheck, RefusesMissingOrDisabled) {
  Finding none = RunRule("healthcheck", true, Image(), nullptr);
  EXPECT_EQ(none.outcome, Outcome::kFail);
  EXPECT_NE(none.message.find("declares no HEALTHCHECK"), std::string::npos);
  auto disabled = Image({{"Healthcheck", {{"Test", {"NONE"}}}}});
  Finding f = RunRule("healthcheck", true, disabled, nullptr);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("HEALTHCHECK NONE"), std::string::npos);
  EXPECT_EQ(RunRule("healthcheck", true, Image({{"Healthcheck", {{"Test", {}}}}}), nullptr).outcome,
            Outcome::kFail);
  EXPECT_EQ(RunRule("healthcheck", true, Image({{"Healthcheck", "x"}}), nullptr).outcome,
            Outcome::kFail);
}

}  // namespace
}  // namespace verified
