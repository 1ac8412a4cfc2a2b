#include "verifier/checks/no_secrets_in_env.h"

#include "tests/unit/verifier/checks/rule_fixture.h"

namespace verified {
namespace {

using testing::DockerSpec;
using testing::Image;
using testing::RunRule;

const char* kValue = "sk_live_abcd1234";

TEST(Wildcard, Matches) {
  EXPECT_TRUE(WildcardMatch("*PASSWORD*", "db_password", true));
  EXPECT_FALSE(WildcardMatch("*PASSWORD*", "db_password", false));
  EXPECT_TRUE(WildcardMatch("*_FILE", "DB_PASSWORD_FILE", true));
  EXPECT_FALSE(WildcardMatch("*_FILE", "DB_PASSWORD_FILES", true));
  EXPECT_TRUE(WildcardMatch("a*b*c", "aXbYbZc", false));
  EXPECT_FALSE(WildcardMatch("a*b*c", "aXbYbZ", false));
  EXPECT_TRUE(WildcardMatch("*", "", false));
  EXPECT_TRUE(WildcardMatch("", "", false));
  EXPECT_FALSE(WildcardMatch("", "x", false));
  std::string big(1 << 20, 'x');
  EXPECT_FALSE(WildcardMatch("*-----BEGIN *PRIVATE KEY*-----*", big, false));
}

TEST(NoSecretsInEnv, AllowsCleanEnv) {
  Spec spec = DockerSpec(
      {{"process",
        {{"env", {"PATH=/bin", "APP_VERSION=1.0.0", "DB_PASSWORD_FILE=/run/secrets/db"}}}}});
  EXPECT_EQ(RunRule("no_secrets_in_env", true, Image(), &spec).outcome, Outcome::kPass);
}

TEST(NoSecretsInEnv, RefusesImageEnvSecretWithoutShowingIt) {
  auto img = Image({{"Env", {"PATH=/bin", std::string("API_KEY=") + kValue}}});
  Finding f = RunRule("no_secrets_in_env", true, img, nullptr);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("image config variable API_KEY"), std::string::npos) << f.message;
  EXPECT_EQ(f.message.find(kValue), std::string::npos);
  EXPECT_EQ(f.expected.find(kValue), std::string::npos);
  EXPECT_EQ(f.actual.find(kValue), std::string::npos);
}

TEST(NoSecretsInEnv, RefusesContainerEnvByNameAndValue) {
  std::string key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END";
  Spec spec =
      DockerSpec({{"process", {{"env", {"PATH=/bin", "db_password=hunter2", "DEPLOY=" + key}}}}});
  Finding f = RunRule("no_secrets_in_env", true, Image(), &spec);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("container env variable db_password"), std::string::npos);
  EXPECT_NE(f.message.find("variable DEPLOY has a secret-like value"), std::string::npos);
  EXPECT_EQ(f.message.find("hunter2"), std::string::npos);
  EXPECT_EQ(f.message.find("b3BlbnNzaC1rZXk"), std::string::npos);
}

TEST(NoSecretsInEnv, EntryWithoutEqualsIsNotShown) {
  Spec spec = DockerSpec({{"process", {{"env", {"MY_TOKEN_abcdef"}}}}});
  Finding f = RunRule("no_secrets_in_env", true, Image(), &spec);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_EQ(f.message.find("abcdef"), std::string::npos) << f.message;
}

TEST(NoSecretsInEnv, ConfigurablePatterns) {
  Spec spec = DockerSpec({{"process", {{"env", {"DB_PASSWORD=x", "SESSION=corp-abc"}}}}});
  nlohmann::json custom = {{"names", {"SESSION"}}, {"values", {"corp-*"}}};
  Finding f = RunRule("no_secrets_in_env", custom, Image(), &spec);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("SESSION"), std::string::npos);
  EXPECT_EQ(f.message.find("DB_PASSWORD"), std::string::npos) << "names replaced the defaults";
  nlohmann::json allow = {{"allow", {"DB_PASSWORD", "SESSION"}}};
  EXPECT_EQ(RunRule("no_secrets_in_env", allow, Image(), &spec).outcome, Outcome::kPass);
}

TEST(NoSecretsInEnv, NotEvaluatedWithoutSpecWhenImageIsClean) {
  EXPECT_EQ(RunRule("no_secrets_in_env", true, Image(), nullptr).outcome, Outcome::kNotEvaluated);
}

TEST(NoSecretsInEnv, ValueValidation) {
  EXPECT_FALSE(MakeRequirement("no_secrets_in_env", "yes").ok());
  EXPECT_FALSE(MakeRequirement("no_secrets_in_env", {{"nams", {"X"}}}).ok());
  EXPECT_FALSE(MakeRequirement("no_secrets_in_env", {{"names", {""}}}).ok());
  EXPECT_FALSE(MakeRequirement("no_secrets_in_env", {{"names", nlohmann::json::array()},
                                                     {"values", nlohmann::json::array()}})
                   .ok());
  auto r = MakeRequirement("no_secrets_in_env", true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->Value(), true);
}

}  // namespace
}  // namespace verified
