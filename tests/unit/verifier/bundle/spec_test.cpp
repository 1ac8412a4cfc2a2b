#include "verifier/bundle/spec.h"

#include <gtest/gtest.h>

#include "unit/support/temp_dir.h"
#include "unit/verifier/checks/docker_spec_fixture.h"

namespace verified {
namespace {

TEST(Spec, ParsesRootAndAnnotations) {
  auto s = ParseSpec(R"({"root":{"path":"rootfs","readonly":true},
                         "annotations":{"io.kubernetes.cri.image-name":"alpine:3"}})");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->root_path, "rootfs");
  EXPECT_TRUE(s->root_readonly);
  EXPECT_EQ(s->Annotation("io.kubernetes.cri.image-name"), "alpine:3");
  EXPECT_EQ(s->Annotation("missing"), "");
}

TEST(Spec, RejectsMalformed) {
  EXPECT_FALSE(ParseSpec("[]").ok());
  EXPECT_FALSE(ParseSpec(R"({"root":{}})").ok());
  EXPECT_FALSE(ParseSpec(R"({"root":{"path":5}})").ok());
  EXPECT_FALSE(ParseSpec(R"({"root":{"path":"r"},"annotations":{"a":1}})").ok());
  EXPECT_FALSE(ParseSpec(R"({"root":{"path":"r","readonly":"yes"}})").ok());
}

TEST(Spec, RefusesKeysRuncWouldReadDifferently) {
  // runc's Go decoder takes the later "Root": verified must not approve the first one.
  auto s = ParseSpec(R"({"root":{"path":"rootfs"},"Root":{"path":"/other"}})");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), ErrorKind::kParse);
  EXPECT_EQ(s.error().What(),
            "config.json: the top-level object has keys \"root\" and \"Root\" that runc's "
            "decoder treats as one (a later one would win): refused");
  EXPECT_FALSE(ParseSpec(R"({"root":{"path":"r"},"process":{"args":["a"]},"process":{}})").ok());
  EXPECT_FALSE(ParseSpec(R"({"root":{"path":"r"},"mounts":[],"Mounts":[{"source":"/"}]})").ok());
  EXPECT_FALSE(
      ParseSpec(R"({"root":{"path":"r"},"linux":{"maskedPaths":[],"mas\u212AedPaths":[]}})").ok());
  EXPECT_FALSE(ParseSpec(R"({"root":{"path":"r\u0000/x"}})").ok());
  EXPECT_FALSE(ParseSpec(R"({"root":{"path":"r"},"annotations":{"a":"1","a":"2"}})").ok());
}

TEST(Spec, AcceptsTheSpecDockerWrites) {
  auto s = ParseSpec(testing::DockerSpec("/var/lib/docker", "c0ffee").dump());
  ASSERT_TRUE(s.ok()) << s.error().What();
  EXPECT_EQ(s->root_path, "/var/lib/docker/overlay2/abc/merged");
}

TEST(Spec, LoadsFromBundleAndResolvesRelativeRoot) {
  testing::TempDir tmp;
  testing::WriteFile(tmp / "b/config.json", R"({"root":{"path":"rootfs"}})");
  testing::MakeDir(tmp / "b/rootfs");
  auto s = LoadSpec(tmp / "b");
  ASSERT_TRUE(s.ok());
  auto root = ResolveRootPath(tmp / "b", *s);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root, tmp / "b/rootfs");
  EXPECT_EQ(LoadSpec(tmp / "nope").error().kind(), ErrorKind::kNotFound);
  testing::WriteFile(tmp / "d/config.json", R"({"root":{"path":"rootfs"},"ROOT":{"path":"/"}})");
  auto dup = LoadSpec(tmp / "d");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().What().rfind("bundle " + (tmp / "d") + ": config.json: ", 0), 0u);
  s->root_path = "missing";
  EXPECT_FALSE(ResolveRootPath(tmp / "b", *s).ok());
}

}  // namespace
}  // namespace verified
