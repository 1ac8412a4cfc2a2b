#include "verifier/checks/registries.h"

#include "tests/unit/verifier/checks/rule_fixture.h"
#include "verifier/image/reference.h"

namespace verified {
namespace {

using testing::Image;
using testing::RunRule;

Finding Typed(const std::string& typed, const nlohmann::json& value) {
  auto ref = ParseReference(typed);
  EXPECT_TRUE(ref.ok());
  return RunRule("registries", value, Image({}, typed), nullptr, &*ref);
}

TEST(Registries, NormalisesHosts) {
  EXPECT_EQ(*NormaliseRegistryHost("Registry.Local:5000"), "registry.local:5000");
  EXPECT_EQ(*NormaliseRegistryHost("index.docker.io"), "docker.io");
  EXPECT_EQ(*NormaliseRegistryHost("Registry-1.Docker.IO"), "docker.io");
  EXPECT_FALSE(NormaliseRegistryHost("https://registry.local").ok());
  EXPECT_FALSE(NormaliseRegistryHost("registry.local/team").ok());
  EXPECT_FALSE(NormaliseRegistryHost("*.example.com").ok());
  EXPECT_FALSE(NormaliseRegistryHost("registry.local:").ok());
  EXPECT_FALSE(NormaliseRegistryHost("").ok());
  EXPECT_FALSE(NormaliseRegistryHost(".evil").ok());
}

TEST(Registries, AllowsExactHosts) {
  nlohmann::json allowed = {"registry.example.com", "docker.io"};
  EXPECT_EQ(Typed("registry.example.com/team/app:1", allowed).outcome, Outcome::kPass);
  EXPECT_EQ(Typed("python:3.11-slim", allowed).outcome, Outcome::kPass);
  EXPECT_EQ(Typed("REGISTRY.example.com/app:1", allowed).outcome, Outcome::kPass);
  EXPECT_EQ(Typed("localhost:5000/app:1", "localhost:5000").outcome, Outcome::kPass);
}

TEST(Registries, RefusesPrefixTricks) {
  nlohmann::json allowed = {"registry.example.com"};
  for (const char* evil :
       {"registry.example.com.evil.io/app:1", "evil.io/registry.example.com/app:1",
        "registry.example.com:5000/app:1", "registry.example.comx/app:1", "app:1"}) {
    Finding f = Typed(evil, allowed);
    EXPECT_EQ(f.outcome, Outcome::kFail) << evil;
    EXPECT_NE(f.message.find("not allowed"), std::string::npos) << f.message;
  }
}

TEST(Registries, UsesStoredNamesWhenRunById) {
  ResolvedImage img = Image({}, "sha256:" + std::string(64, 'a'));
  img.typed_confirmed = false;
  img.names = {"docker.io/library/app:1", "evil.io/app:1"};
  EXPECT_EQ(RunRule("registries", {"docker.io"}, img, nullptr).outcome, Outcome::kFail);
  img.names = {"docker.io/library/app:1"};
  EXPECT_EQ(RunRule("registries", {"docker.io"}, img, nullptr).outcome, Outcome::kPass);
  img.names.clear();
  EXPECT_EQ(RunRule("registries", {"docker.io"}, img, nullptr).outcome, Outcome::kFail);
}

TEST(Registries, ValueValidation) {
  EXPECT_FALSE(MakeRequirement("registries", nlohmann::json::array()).ok());
  EXPECT_FALSE(MakeRequirement("registries", true).ok());
  EXPECT_FALSE(MakeRequirement("registries", {"ok.io", 3}).ok());
  auto one = MakeRequirement("registries", "Docker.IO");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ((*one)->Value(), nlohmann::json({"docker.io"}));
}

}  // namespace
}  // namespace verified
