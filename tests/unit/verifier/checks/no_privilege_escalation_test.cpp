#include "verifier/checks/no_privilege_escalation.h"

#include "tests/unit/verifier/checks/rule_fixture.h"

namespace verified {
namespace {

using testing::DockerSpec;
using testing::Image;
using testing::RunRule;

nlohmann::json Nnp() { return {{"process", {{"noNewPrivileges", true}}}}; }

TEST(NoPrivilegeEscalation, AllowsDefaultCapsWithNoNewPrivileges) {
  Spec spec = DockerSpec(Nnp());
  Finding f = RunRule("no_privilege_escalation", true, Image(), &spec);
  EXPECT_EQ(f.outcome, Outcome::kPass) << f.message;
}

TEST(NoPrivilegeEscalation, RefusesMissingNoNewPrivileges) {
  Spec spec = DockerSpec();
  Finding f = RunRule("no_privilege_escalation", true, Image(), &spec);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("no-new-privileges"), std::string::npos) << f.message;
}

TEST(NoPrivilegeEscalation, RefusesAddedCapabilityUnlessListed) {
  nlohmann::json patch = Nnp();
  patch["process"]["capabilities"] = {{"bounding", {"CAP_CHOWN", "CAP_NET_ADMIN"}},
                                      {"effective", {"CAP_CHOWN", "CAP_NET_ADMIN"}}};
  Spec spec = DockerSpec(patch);
  Finding f = RunRule("no_privilege_escalation", true, Image(), &spec);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("CAP_NET_ADMIN"), std::string::npos) << f.message;
  Finding allowed =
      RunRule("no_privilege_escalation", nlohmann::json::array({"net_admin"}), Image(), &spec);
  EXPECT_EQ(allowed.outcome, Outcome::kPass) << allowed.message;
}

TEST(NoPrivilegeEscalation, RefusesPrivileged) {
  nlohmann::json patch = Nnp();
  patch["linux"] = {{"resources", {{"devices", {{{"allow", true}, {"access", "rwm"}}}}}}};
  Spec spec = DockerSpec(patch);
  Finding f = RunRule("no_privilege_escalation", true, Image(), &spec);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("privileged"), std::string::npos) << f.message;
}

TEST(NoPrivilegeEscalation, NotEvaluatedWithoutSpec) {
  EXPECT_EQ(RunRule("no_privilege_escalation", true, Image(), nullptr).outcome,
            Outcome::kNotEvaluated);
}

TEST(NoPrivilegeEscalation, ValueValidation) {
  EXPECT_FALSE(MakeRequirement("no_privilege_escalation", "x").ok());
  EXPECT_FALSE(MakeRequirement("no_privilege_escalation", {"NET ADMIN"}).ok());
  EXPECT_FALSE(MakeRequirement("no_privilege_escalation", {1}).ok());
  auto r = MakeRequirement("no_privilege_escalation", {"net_admin"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->Value(), nlohmann::json({"CAP_NET_ADMIN"}));
}

TEST(NoPrivilegeEscalation, MalformedCapabilitiesFailClosed) {
  nlohmann::json patch = Nnp();
  patch["process"]["capabilities"] = {{"bounding", "CAP_SYS_ADMIN"}};
  Spec spec = DockerSpec(patch);
  EXPECT_EQ(RunRule("no_privilege_escalation", true, Image(), &spec).outcome, Outcome::kFail);
}

}  // namespace
}  // namespace verified
