#include "verifier/bundle/mountinfo.h"

#include <gtest/gtest.h>

namespace verified {
namespace {

TEST(Mountinfo, ParsesOverlayWithEscapes) {
  auto m = ParseMountinfo(
      "22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
      "47 42 0:39 / /var/lib/docker/overlay2/x/merged rw,relatime shared:2 master:1 - overlay "
      "overlay rw,lowerdir=/a/l/A:/a/l/B\\:C,upperdir=/a/x/diff,workdir=/a/x/work\n"
      "48 42 0:40 / /with\\040space rw - tmpfs tmpfs rw\n");
  ASSERT_TRUE(m.ok()) << m.error().What();
  ASSERT_EQ(m->size(), 3u);
  EXPECT_EQ((*m)[2].mount_point, "/with space");
  const MountEntry* e = FindMountAt(*m, "/var/lib/docker/overlay2/x/merged");
  ASSERT_NE(e, nullptr);
  auto ov = ParseOverlay(*e);
  ASSERT_TRUE(ov.ok());
  ASSERT_EQ(ov->lower.size(), 2u);
  EXPECT_EQ(ov->lower[1], "/a/l/B:C");
  EXPECT_EQ(ov->upper, "/a/x/diff");
  EXPECT_EQ(ParseOverlay((*m)[0]).error().kind(), ErrorKind::kUnsupported);
}

TEST(Mountinfo, LastMountAtAPathWins) {
  auto m = ParseMountinfo(
      "1 0 0:1 / /p rw - ext4 a rw\n"
      "2 1 0:2 / /p rw - overlay b rw,lowerdir=/x\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(FindMountAt(*m, "/p")->fs_type, "overlay");
  EXPECT_EQ(FindMountAt(*m, "/q"), nullptr);
}

TEST(Mountinfo, MalformedLinesAreErrors) {
  EXPECT_FALSE(ParseMountinfo("garbage\n").ok());
  EXPECT_FALSE(ParseMountinfo("1 2 3 / /p rw - ext4\n").ok());
  EXPECT_FALSE(ParseMountinfo("x 0 0:1 / /p rw - ext4 a rw\n").ok());
}

TEST(Mountinfo, ReadsTheRealTable) {
  auto m = ReadMountinfo();
  ASSERT_TRUE(m.ok()) << m.error().What();
  EXPECT_NE(FindMountAt(*m, "/"), nullptr);
}

}  // namespace
}  // namespace verified
