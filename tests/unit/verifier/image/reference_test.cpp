#include "verifier/image/reference.h"

#include <gtest/gtest.h>

namespace verified {
namespace {

std::string Norm(const std::string& s) {
  auto r = ParseReference(s);
  return r.ok() ? r->String() : "ERROR: " + r.error().What();
}

TEST(Reference, NormalisesLikeDocker) {
  EXPECT_EQ(Norm("python:3.11"), "docker.io/library/python:3.11");
  EXPECT_EQ(Norm("alpine"), "docker.io/library/alpine:latest");
  EXPECT_EQ(Norm("my_company/nginx"), "docker.io/my_company/nginx:latest");
  EXPECT_EQ(Norm("index.docker.io/library/alpine:3"), "docker.io/library/alpine:3");
  EXPECT_EQ(Norm("localhost/app:1"), "localhost/app:1");
  EXPECT_EQ(Norm("localhost:5000/a/b/c:v1.2-rc"), "localhost:5000/a/b/c:v1.2-rc");
  EXPECT_EQ(Norm("registry.example.com/team/app"), "registry.example.com/team/app:latest");
  std::string d = "sha256:" + std::string(64, 'a');
  EXPECT_EQ(Norm("alpine@" + d), "docker.io/library/alpine@" + d);
  EXPECT_EQ(Norm("alpine:3.20@" + d), "docker.io/library/alpine:3.20@" + d);
}

TEST(Reference, FamiliarFormMatchesDockerCli) {
  EXPECT_EQ(ParseReference("python:3.11")->Familiar(), "python:3.11");
  EXPECT_EQ(ParseReference("my_company/nginx")->Familiar(), "my_company/nginx:latest");
  EXPECT_EQ(ParseReference("quay.io/a/b:1")->Familiar(), "quay.io/a/b:1");
  // A Hub path that would read as a registry when shortened keeps its docker.io/ (found by
  // fuzz_reference: the familiar form must parse back to the same name).
  for (const char* s :
       {"docker.io/evil.io/x:1", "registry-1.docker.io/localhost/x:1", "docker.io/host:5000/x:1"}) {
    auto r = ParseReference(s);
    if (!r.ok()) continue;  // "host:5000" is not a valid path component
    EXPECT_EQ(r->Familiar().rfind("docker.io/", 0), 0u) << s;
    EXPECT_EQ(*ParseReference(r->Familiar()), *r) << s;
  }
}

TEST(Reference, RejectsInvalidNames) {
  EXPECT_FALSE(ParseReference("").ok());
  EXPECT_FALSE(ParseReference("UPPER/case").ok() &&
               ParseReference("UPPER/case")->domain != "UPPER");
  EXPECT_FALSE(ParseReference("docker.io/Library/alpine").ok());
  EXPECT_FALSE(ParseReference("a//b").ok());
  EXPECT_FALSE(ParseReference("a/b:").ok());
  EXPECT_FALSE(ParseReference("a/b@sha256:xyz").ok());
  EXPECT_FALSE(ParseReference("-a/b").ok());
  EXPECT_FALSE(ParseReference("a/b:-tag").ok());
  EXPECT_FALSE(ParseReference(std::string(64, 'a')).ok());  // an ID, not a name
  EXPECT_FALSE(ParseReference(std::string(600, 'a')).ok());
  EXPECT_FALSE(ParseReference("host:port/x").ok());
}

TEST(Reference, RegistryHostsAreCaseInsensitive) {
  EXPECT_EQ(Norm("EVIL.IO/x"), "evil.io/x:latest");
  EXPECT_EQ(Norm("Evil.Io/team/x:TAG"), "evil.io/team/x:TAG");  // tags keep their case
  EXPECT_EQ(Norm("Registry.Example.COM:5000/a/b:1"), "registry.example.com:5000/a/b:1");
  EXPECT_EQ(Norm("LocalHost/app:1"), "localhost/app:1");
  EXPECT_EQ(Norm("[FE80::1]:5000/app:1"), "[fe80::1]:5000/app:1");
  EXPECT_FALSE(ParseReference("evil.io/X").ok());  // repository paths are not folded
  EXPECT_FALSE(ParseReference("EVIL.IO/Team/x").ok());
}

TEST(Reference, DockerHubAliasesAreDockerIo) {
  for (const char* s :
       {"x:1", "library/x:1", "docker.io/x:1", "docker.io/library/x:1", "index.docker.io/x:1",
        "index.docker.io/library/x:1", "registry-1.docker.io/x:1",
        "registry-1.docker.io/library/x:1", "DOCKER.IO/x:1", "INDEX.DOCKER.IO/library/x:1",
        "Registry-1.Docker.IO/x:1"}) {
    EXPECT_EQ(Norm(s), "docker.io/library/x:1") << s;
  }
  EXPECT_EQ(Norm("REGISTRY-1.DOCKER.IO/evil/tool:1"), "docker.io/evil/tool:1");
  EXPECT_EQ(ParseReference("INDEX.DOCKER.IO/evil/tool:1")->Familiar(), "evil/tool:1");
  std::string d = "sha256:" + std::string(64, 'e');
  EXPECT_EQ(Norm("x@" + d), "docker.io/library/x@" + d);
  EXPECT_EQ(Norm("Index.Docker.IO/library/x@" + d), "docker.io/library/x@" + d);
  // A port makes it another registry to Docker: not folded.
  EXPECT_EQ(Norm("docker.io:443/x:1"), "docker.io:443/x:1");
}

TEST(Reference, SingleLabelHostStaysARegistry) {
  // "EVIL/x" is host EVIL (capitals make it a registry); "evil/x" is Docker Hub's evil/x.
  auto upper = ParseReference("EVIL/x:1");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(upper->domain, "EVIL");
  EXPECT_EQ(Norm("Evil/x:1"), "EVIL/x:1");
  EXPECT_EQ(Norm("evil/x:1"), "docker.io/evil/x:1");
  EXPECT_EQ(Norm(upper->String()), upper->String());
}

TEST(Reference, NormaliseDomain) {
  EXPECT_EQ(NormaliseDomain("Quay.IO"), "quay.io");
  EXPECT_EQ(NormaliseDomain("registry-1.docker.io"), "docker.io");
  EXPECT_EQ(NormaliseDomain("INDEX.DOCKER.IO"), "docker.io");
  EXPECT_EQ(NormaliseDomain("localhost:5000"), "localhost:5000");
  EXPECT_EQ(NormaliseDomain("Host"), "HOST");
  for (const char* d : {"Quay.IO", "Host", "LOCALHOST", "[FE80::1]:5", "Index.Docker.IO"}) {
    EXPECT_EQ(NormaliseDomain(NormaliseDomain(d)), NormaliseDomain(d)) << d;
  }
}

TEST(Reference, RecognisesImageIds) {
  std::string hex(64, 'b');
  EXPECT_EQ(ParseImageId(hex), "sha256:" + hex);
  EXPECT_EQ(ParseImageId("sha256:" + hex), "sha256:" + hex);
  EXPECT_FALSE(ParseImageId("alpine"));
  EXPECT_FALSE(ParseImageId("dd17467e9ffb"));
}

}  // namespace
}  // namespace verified
