#include "verifier/checks/labels.h"

#include "tests/unit/verifier/checks/rule_fixture.h"

namespace verified {
namespace {

using testing::Image;
using testing::RunRule;

ResolvedImage Labelled() {
  return Image(
      {{"Labels", {{"maintainer", "security-team@example.com"}, {"security.scan", "passed"}}}});
}

TEST(Labels, AllowsPresentLabels) {
  EXPECT_EQ(RunRule("labels", {"maintainer"}, Labelled(), nullptr).outcome, Outcome::kPass);
  EXPECT_EQ(RunRule("labels", "maintainer", Labelled(), nullptr).outcome, Outcome::kPass);
  nlohmann::json want = {{"maintainer", true}, {"security.scan", "passed"}};
  EXPECT_EQ(RunRule("labels", want, Labelled(), nullptr).outcome, Outcome::kPass);
}

TEST(Labels, RefusesMissingOrWrongValues) {
  Finding missing = RunRule("labels", {"maintainer", "version"}, Labelled(), nullptr);
  EXPECT_EQ(missing.outcome, Outcome::kFail);
  EXPECT_NE(missing.message.find("lacks the label(s) version"), std::string::npos);
  Finding wrong = RunRule("labels", {{"security.scan", "clean"}}, Labelled(), nullptr);
  EXPECT_EQ(wrong.outcome, Outcome::kFail);
  EXPECT_NE(wrong.message.find("security.scan=passed (required clean)"), std::string::npos)
      << wrong.message;
  EXPECT_EQ(RunRule("labels", {"maintainer"}, Image(), nullptr).outcome, Outcome::kFail);
  EXPECT_EQ(RunRule("labels", {"maintainer"}, Image({{"Labels", "x"}}), nullptr).outcome,
            Outcome::kFail);
}

TEST(Labels, ValueValidation) {
  EXPECT_FALSE(MakeRequirement("labels", nlohmann::json::array()).ok());
  EXPECT_FALSE(MakeRequirement("labels", {1}).ok());
  EXPECT_FALSE(MakeRequirement("labels", {{"a", 3}}).ok());
  EXPECT_FALSE(MakeRequirement("labels", true).ok());
}

}  // namespace
}  // namespace verified
