#include "verifier/checks/read_only_rootfs.h"

#include "tests/unit/verifier/checks/rule_fixture.h"

namespace verified {
namespace {

using testing::DockerSpec;
using testing::Image;
using testing::RunRule;

TEST(ReadOnlyRootfs, AllowsReadOnlyRoot) {
  Spec spec = DockerSpec({{"root", {{"readonly", true}}}});
  EXPECT_EQ(RunRule("read_only_rootfs", true, Image(), &spec).outcome, Outcome::kPass);
}

TEST(ReadOnlyRootfs, RefusesWritableRoot) {
  Spec spec = DockerSpec();
  Finding f = RunRule("read_only_rootfs", true, Image(), &spec);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("--read-only"), std::string::npos) << f.message;
}

TEST(ReadOnlyRootfs, NotEvaluatedWithoutSpec) {
  EXPECT_EQ(RunRule("read_only_rootfs", true, Image(), nullptr).outcome, Outcome::kNotEvaluated);
  EXPECT_FALSE(MakeRequirement("read_only_rootfs", 1).ok());
}

}  // namespace
}  // namespace verified
