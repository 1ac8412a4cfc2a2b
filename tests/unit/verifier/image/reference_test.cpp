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

TEST(Reference, RecognisesImageIds) {
  std::string hex(64, 'b');
  EXPECT_EQ(ParseImageId(hex), "sha256:" + hex);
  EXPECT_EQ(ParseImageId("sha256:" + hex), "sha256:" + hex);
  EXPECT_FALSE(ParseImageId("alpine"));
  EXPECT_FALSE(ParseImageId("dd17467e9ffb"));
}

}  // namespace
}  // namespace verified
