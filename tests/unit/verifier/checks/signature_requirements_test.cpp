#include "verifier/checks/signature_requirements.h"

#include <gtest/gtest.h>

#include "verifier/checks/catalog.h"
#include "verifier/checks/signed_by.h"
#include "verifier/policy/policy.h"

namespace verified {
namespace {

Result<std::vector<RequirementPtr>> Combined(const nlohmann::json& require) {
  std::vector<RequirementPtr> reqs;
  for (const auto& [name, value] : require.items()) {
    auto r = MakeRequirement(name, value);
    if (!r.ok()) return std::move(r).error();
    reqs.push_back(*r);
  }
  return CombineSignatureRequirements(std::move(reqs));
}

TEST(SignatureRequirements, SignedByTakesAListOrCommaSeparatedNames) {
  for (const nlohmann::json& v :
       {nlohmann::json("ci,release"), nlohmann::json::array({"ci", "release"})}) {
    auto r = MakeRequirement("signed_by", v);
    ASSERT_TRUE(r.ok()) << r.error().What();
    EXPECT_EQ(SignedByKeys(**r), (std::vector<std::string>{"ci", "release"}));
    EXPECT_EQ((*r)->Value(), nlohmann::json::array({"ci", "release"}));
  }
  for (const nlohmann::json& v :
       {nlohmann::json(""), nlohmann::json("ci,"), nlohmann::json("ci,ci"), nlohmann::json("../x"),
        nlohmann::json("CI"), nlohmann::json(true), nlohmann::json::array(),
        nlohmann::json::array({1})}) {
    EXPECT_FALSE(MakeRequirement("signed_by", v).ok()) << v;
  }
}

TEST(SignatureRequirements, QualifiersValidateTheirValues) {
  EXPECT_TRUE(MakeRequirement("signatures", 1).ok());
  EXPECT_FALSE(MakeRequirement("signatures", 0).ok());
  EXPECT_FALSE(MakeRequirement("signatures", "2").ok());
  EXPECT_FALSE(MakeRequirement("signatures", 1000).ok());
  EXPECT_TRUE(MakeRequirement("signed_identity", "repository").ok());
  EXPECT_TRUE(MakeRequirement("signed_identity", "digest").ok());
  EXPECT_FALSE(MakeRequirement("signed_identity", "tag").ok());
}

TEST(SignatureRequirements, CombinesIntoOneSignedBy) {
  auto c = Combined({{"registered", true},
                     {"signatures", 2},
                     {"signed_by", "ci,release"},
                     {"signed_identity", "digest"}});
  ASSERT_TRUE(c.ok()) << c.error().What();
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0]->Name(), "registered");
  const SignatureRule* rule = SignatureRuleOf(*(*c)[1]);
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->count, 2u);
  EXPECT_EQ(rule->identity, SignedIdentity::kDigest);
  auto defaults = Combined({{"signed_by", "ci"}});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(SignatureRuleOf(*defaults->front())->count, 1u);
  EXPECT_EQ(SignatureRuleOf(*defaults->front())->identity, SignedIdentity::kRepository);
}

TEST(SignatureRequirements, QualifiersWithoutSignedByOrTooManySignaturesAreErrors) {
  EXPECT_FALSE(Combined({{"signatures", 1}}).ok());
  EXPECT_FALSE(Combined({{"signed_identity", "digest"}}).ok());
  auto r = Combined({{"signed_by", "ci"}, {"signatures", 2}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().What().find("lists 1 key"), std::string::npos) << r.error().What();
  // A qualifier left standing refuses rather than passing.
  auto lone = MakeRequirement("signatures", 1).value();
  EXPECT_EQ(lone->Name(), "signatures");
}

TEST(SignatureRequirements, PolicyParserCombinesAndRefuses) {
  auto p = ParsePolicy(R"({"rules":[{"match":"app/*","action":"allow",
      "require":{"signed_by":["ci"],"signed_identity":"digest"}}]})");
  ASSERT_TRUE(p.ok()) << p.error().What();
  ASSERT_EQ(p->rules[0].requirements.size(), 1u);
  EXPECT_EQ(SignatureRuleOf(*p->rules[0].requirements[0])->identity, SignedIdentity::kDigest);
  auto bad = ParsePolicy(R"({"rules":[{"match":"app/*","action":"allow",
      "require":{"signatures":2}}]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().What().find("rule 1"), std::string::npos) << bad.error().What();
  EXPECT_TRUE(ParsePolicy(R"({"baseline":{"signed_by":"ci"}})").ok());
}

}  // namespace
}  // namespace verified
