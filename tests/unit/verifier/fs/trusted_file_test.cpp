#include "verifier/fs/trusted_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/support/temp_dir.h"

namespace verified {
namespace {

TEST(TrustedFile, ReadsARootOwnedUnwritableFile) {
  testing::TempDir tmp;
  testing::WriteFile(tmp / "f", "content", 0644);
  auto text = ReadTrustedFile(tmp / "f", 100);
  ASSERT_TRUE(text.ok()) << text.error().What();
  EXPECT_EQ(*text, "content");
  EXPECT_EQ(ReadTrustedFile(tmp / "f", 3).error().kind(), ErrorKind::kTooLarge);
  EXPECT_EQ(ReadTrustedFile(tmp / "absent", 100).error().kind(), ErrorKind::kNotFound);
  EXPECT_TRUE(CheckTrustedPath(tmp / "f").ok());
}

TEST(TrustedFile, RefusesWritableSymlinkedForeignAndSpecialFiles) {
  testing::TempDir tmp;
  testing::WriteFile(tmp / "f", "x", 0664);
  auto e = ReadTrustedFile(tmp / "f", 100);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind(), ErrorKind::kPermission);
  EXPECT_NE(e.error().What().find("chmod go-w " + tmp / "f"), std::string::npos);
  EXPECT_FALSE(CheckTrustedPath(tmp / "f").ok());
  chmod((tmp / "f").c_str(), 0644);
  symlink((tmp / "f").c_str(), (tmp / "link").c_str());
  e = ReadTrustedFile(tmp / "link", 100);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind(), ErrorKind::kPermission);
  EXPECT_NE(e.error().What().find("is a symlink"), std::string::npos);
  EXPECT_FALSE(CheckTrustedPath(tmp / "link").ok());
  EXPECT_EQ(ReadTrustedFile(tmp.path(), 100).error().kind(), ErrorKind::kUnsafePath);
  if (geteuid() == 0) {
    ASSERT_EQ(chown((tmp / "f").c_str(), 4321, 0), 0);
    e = ReadTrustedFile(tmp / "f", 100);
    ASSERT_FALSE(e.ok());
    EXPECT_NE(e.error().What().find("owned by uid 4321; fix with: chown root"), std::string::npos);
  }
}

}  // namespace
}  // namespace verified
