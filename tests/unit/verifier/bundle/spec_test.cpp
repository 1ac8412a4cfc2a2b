#include "verifier/bundle/spec.h"

#include <gtest/gtest.h>

#include "unit/support/temp_dir.h"

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
  s->root_path = "missing";
  EXPECT_FALSE(ResolveRootPath(tmp / "b", *s).ok());
}

}  // namespace
}  // namespace verified
