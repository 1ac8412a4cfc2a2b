#include "verifier/bundle/mount_lookup.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include "unit/support/temp_dir.h"

namespace verified {
namespace {

// statmount(2) must describe an overlay exactly as mountinfo does: the runtime trusts it for
// the lowerdir cross-check.
TEST(MountLookup, StatmountAgreesWithMountinfoOnARealOverlay) {
  testing::TempDir tmp;
  for (const char* d : {"l1", "l 2", "u", "w", "m"}) testing::MakeDir(tmp / d);
  std::string opts = "lowerdir=" + (tmp / "l1") + ":" + (tmp / "l 2") + ",upperdir=" + (tmp / "u") +
                     ",workdir=" + (tmp / "w");
  if (mount("overlay", (tmp / "m").c_str(), "overlay", 0, opts.c_str()) != 0) {
    GTEST_SKIP() << "SKIPPED: cannot mount overlay here (needs root): " << strerror(errno);
  }
  auto fast = MountsAtViaStatmount(tmp / "m");
  auto table = ReadMountinfo();
  umount2((tmp / "m").c_str(), MNT_DETACH);
  if (!fast.ok() && fast.error().kind() == ErrorKind::kUnsupported) {
    GTEST_SKIP() << "SKIPPED: kernel without statmount mount options: " << fast.error().What();
  }
  ASSERT_TRUE(fast.ok()) << fast.error().What();
  ASSERT_TRUE(table.ok());
  const MountEntry* a = FindMountAt(*fast, tmp / "m");
  const MountEntry* b = FindMountAt(*table, tmp / "m");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->dev, b->dev);
  EXPECT_EQ(a->fs_type, "overlay");
  auto oa = ParseOverlay(*a);
  auto ob = ParseOverlay(*b);
  ASSERT_TRUE(oa.ok() && ob.ok());
  EXPECT_EQ(oa->lower, ob->lower);
  EXPECT_EQ(oa->lower[1], tmp / "l 2");
  EXPECT_EQ(oa->upper, ob->upper);
}

TEST(MountLookup, NotAMountPointGivesNoEntry) {
  testing::TempDir tmp;
  auto r = MountsAt(tmp.path());
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_EQ(FindMountAt(*r, tmp.path()), nullptr);
  auto root = MountsAt("/");
  ASSERT_TRUE(root.ok());
  EXPECT_NE(FindMountAt(*root, "/"), nullptr);
}

}  // namespace
}  // namespace verified
