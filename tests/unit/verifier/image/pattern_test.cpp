#include "verifier/image/pattern.h"

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

TEST(ImagePattern, RegistryHostSpellingsMatchAlike) {
  for (const char* pat : {"EVIL.IO/*", "evil.io/*", "Evil.Io/*"}) {
    for (const char* ref : {"evil.io/tool:1", "EVIL.IO/tool:1",
                            "eViL.iO/tool@sha256:"
                            "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"}) {
      EXPECT_TRUE(Match(pat, ref)) << pat << " " << ref;
    }
    EXPECT_FALSE(Match(pat, "evil.io.example/tool:1")) << pat;
  }
  for (const char* pat : {"evil/*", "index.docker.io/evil/*", "registry-1.docker.io/evil/*",
                          "INDEX.DOCKER.IO/evil/*", "docker.io/evil/*"}) {
    for (const char* ref : {"evil/tool:1", "docker.io/evil/tool:1", "index.docker.io/evil/tool:1",
                            "Registry-1.Docker.IO/evil/tool:1"}) {
      EXPECT_TRUE(Match(pat, ref)) << pat << " " << ref;
    }
    EXPECT_FALSE(Match(pat, "EVIL/tool:1")) << pat;  // registry host EVIL, not Docker Hub
  }
  EXPECT_TRUE(Match("registry-1.docker.io/alpine", "alpine:3.20"));
  EXPECT_TRUE(Match("INDEX.DOCKER.IO/library/alpine:3.*", "alpine:3.20"));
  EXPECT_TRUE(Match("EVIL/*", "Evil/tool:1"));
  EXPECT_FALSE(ImagePattern::Glob("evil.io/Tool").ok());  // repositories are lower case
}

TEST(ImagePattern, KeyIsTheNormalisedForm) {
  EXPECT_EQ(ImagePattern::Glob("EVIL.IO/*")->key(), "evil.io/*");
  EXPECT_EQ(ImagePattern::Glob("index.docker.io/app")->key(), ImagePattern::Glob("app")->key());
  EXPECT_EQ(ImagePattern::Glob("**")->key(), "*");
  EXPECT_EQ(ImagePattern::Regex("^A.*")->key(), "^A.*");
  EXPECT_NE(ImagePattern::Glob("evil/*")->key(), ImagePattern::Glob("EVIL/*")->key());
}

TEST(ImagePattern, RegexSeesTheNormalisedHost) {
  EXPECT_TRUE(Match("evil\\.io/.*", "EVIL.IO/tool:1", true));
  EXPECT_TRUE(Match("docker\\.io/evil/.*", "registry-1.docker.io/evil/tool:1", true));
  EXPECT_FALSE(Match("EVIL\\.IO/.*", "evil.io/tool:1", true));
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
