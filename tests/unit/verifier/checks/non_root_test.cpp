#include "verifier/checks/non_root.h"

#include "tests/unit/verifier/checks/rule_fixture.h"

namespace verified {
namespace {

using testing::DockerSpec;
using testing::Image;
using testing::RunRule;

TEST(NonRoot, ImageUserValues) {
  EXPECT_TRUE(ImageUserIsRoot(""));
  EXPECT_TRUE(ImageUserIsRoot("root"));
  EXPECT_TRUE(ImageUserIsRoot("0"));
  EXPECT_TRUE(ImageUserIsRoot("00"));
  EXPECT_TRUE(ImageUserIsRoot("0:1000"));
  EXPECT_TRUE(ImageUserIsRoot("root:root"));
  EXPECT_TRUE(ImageUserIsRoot(":1000"));
  EXPECT_FALSE(ImageUserIsRoot("1001"));
  EXPECT_FALSE(ImageUserIsRoot("1001:0"));
  EXPECT_FALSE(ImageUserIsRoot("nodejs"));
  EXPECT_FALSE(ImageUserIsRoot("10"));
}

TEST(NonRoot, AllowsNonRootImageAndProcess) {
  Spec spec = DockerSpec();
  Finding f = RunRule("non_root", true, Image({{"User", "1001"}}), &spec);
  EXPECT_EQ(f.outcome, Outcome::kPass) << f.message;
}

TEST(NonRoot, RefusesImageWithoutUser) {
  Spec spec = DockerSpec();
  Finding f = RunRule("non_root", true, Image({{"User", ""}}), &spec);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("declares no USER"), std::string::npos) << f.message;
  // Even without a spec the image half decides.
  EXPECT_EQ(RunRule("non_root", true, Image({{"User", "root"}}), nullptr).outcome, Outcome::kFail);
}

TEST(NonRoot, RefusesUserRootOverride) {
  Spec spec = DockerSpec({{"process", {{"user", {{"uid", 0}}}}}});
  Finding f = RunRule("non_root", true, Image({{"User", "1001"}}), &spec);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("runs as uid 0"), std::string::npos) << f.message;
}

TEST(NonRoot, MalformedSpecFailsClosed) {
  Spec spec = DockerSpec({{"process", {{"user", {{"uid", "zero"}}}}}});
  EXPECT_EQ(RunRule("non_root", true, Image(), &spec).outcome, Outcome::kFail);
  Spec no_user = DockerSpec({{"process", {{"user", nullptr}}}});
  EXPECT_EQ(RunRule("non_root", true, Image(), &no_user).outcome, Outcome::kFail);
}

TEST(NonRoot, NotEvaluatedWithoutSpecWhenImageIsFine) {
  Finding f = RunRule("non_root", true, Image(), nullptr);
  EXPECT_EQ(f.outcome, Outcome::kNotEvaluated);
  EXPECT_NE(f.message.find("process uid"), std::string::npos) << f.message;
}

TEST(NonRoot, ValueValidation) {
  EXPECT_FALSE(MakeRequirement("non_root", "yes").ok());
  auto off = MakeRequirement("non_root", false);
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(*off, nullptr);
}

}  // namespace
}  // namespace verified
