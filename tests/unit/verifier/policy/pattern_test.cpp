#include "verifier/policy/pattern.h"

#include <gtest/gtest.h>

namespace verified {
namespace {

bool Match(const std::string& pattern, const std::string& ref, bool regex = false) {
  auto p = regex ? ImagePattern::Regex(pattern) : ImagePattern::Glob(pattern);
  EXPECT_TRUE(p.ok()) << pattern;
  auto r = ParseReference(ref);
  EXPECT_TRUE(r.ok()) << ref;
  return p.ok() && r.ok() && p->Matches(*r);
}

// The cases issue #2 names explicitly.
TEST(ImagePattern, CompanyNamespaceGlob) {
  EXPECT_TRUE(Match("my_company/*", "my_company/nginx"));
  EXPECT_TRUE(Match("my_company/*", "my_company/nginx:1.2"));
  EXPECT_FALSE(Match("my_company/*", "my_company_evil/x"));
  EXPECT_FALSE(Match("my_company/*", "evil.io/my_company/nginx"));
  EXPECT_FALSE(Match("my_company/*", "my_company/team/nested"));
  EXPECT_TRUE(Match("my_company/**", "my_company/team/nested:3"));
}

TEST(ImagePattern, RegistryPrefixCannotBeExtended) {
  EXPECT_TRUE(Match("registry.example.com/*", "registry.example.com/app:1"));
  EXPECT_FALSE(Match("registry.example.com/*", "registry.example.com.evil.io/app:1"));
  EXPECT_FALSE(Match("registry.example.com/**", "registry.example.com.evil.io/a/b"));
  EXPECT_FALSE(Match("registry.example.com/*", "registry.example.com:5000/app"));
}

TEST(ImagePattern, NormalisesLikeReferences) {
  EXPECT_TRUE(Match("python", "python:3.11"));
  EXPECT_TRUE(Match("python", "docker.io/library/python:3.11"));
  EXPECT_FALSE(Match("python", "pythonx:1"));
  EXPECT_TRUE(Match("docker.io/library/alpine", "alpine:3.20"));
  EXPECT_FALSE(Match("alpine", "quay.io/library/alpine"));
}

TEST(ImagePattern, TagsInPatternsMatchTheFullName) {
  EXPECT_TRUE(Match("alpine:3.*", "alpine:3.20"));
  EXPECT_FALSE(Match("alpine:3.*", "alpine:4.0"));
  EXPECT_FALSE(Match("alpine:3.*", "alpine"));  // :latest
  EXPECT_TRUE(Match("*:latest", "alpine"));
}

TEST(ImagePattern, StarAloneMatchesEverything) {
  EXPECT_TRUE(Match("*", "quay.io/x/y:z"));
  EXPECT_TRUE(Match("**", "alpine"));
}

TEST(ImagePattern, RegexIsAnchoredOnFamiliarOrFullForm) {
  EXPECT_TRUE(Match("my_company/.*", "my_company/nginx:1", true));
  EXPECT_TRUE(Match("docker\\.io/my_company/.*", "my_company/nginx:1", true));
  EXPECT_FALSE(Match("my_company/.*", "evil.io/my_company/nginx", true));
  EXPECT_FALSE(Match("nginx", "my_company/nginx", true));  // anchored
  EXPECT_TRUE(Match("python:3\\.7-alpine3\\.10", "python:3.7-alpine3.10", true));
  EXPECT_FALSE(ImagePattern::Regex("(").ok());
}

TEST(ImagePattern, RejectsBadPatterns) {
  EXPECT_FALSE(ImagePattern::Glob("").ok());
  EXPECT_FALSE(ImagePattern::Glob("My/App").ok());
  EXPECT_FALSE(ImagePattern::Glob(std::string(1000, 'a')).ok());
}

TEST(GlobMatch, StarsAndSlashes) {
  EXPECT_TRUE(GlobMatch("a/*/c", "a/b/c"));
  EXPECT_FALSE(GlobMatch("a/*/c", "a/b/x/c"));
  EXPECT_TRUE(GlobMatch("a/**/c", "a/b/x/c"));
  EXPECT_TRUE(GlobMatch("**/x/*", "a/b/x/y"));
  EXPECT_FALSE(GlobMatch("**/x/*", "a/b/x/y/z"));
  EXPECT_TRUE(GlobMatch("a?c", "abc"));
  EXPECT_FALSE(GlobMatch("a?c", "a/c"));
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("", "a"));
}

}  // namespace
}  // namespace verified
