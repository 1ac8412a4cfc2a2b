#include "verifier/content/multicall.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace verified {
namespace {

std::string Table(const std::vector<std::string>& names) {
  std::string t(1, '\0');
  for (const auto& n : names) t += n + '\0';
  return t;
}

std::string ReadAll(const char* path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(MultiCall, BusyBoxAppletTableWithShells) {
  std::string bytes =
      "\x7f"
      "ELF junk BusyBox v1.36.1 (x) multi-call binary" +
      std::string("\x01\x02\xff") +
      Table(
          {"[", "[[", "acpid", "ash", "awk", "cat", "echo", "hush", "ls", "sh", "sleep", "true"}) +
      "\x03tail";
  auto info = InspectMultiCall(bytes);
  EXPECT_EQ(info.kind, "busybox");
  EXPECT_TRUE(info.applets_known);
  EXPECT_EQ(info.applet_count, 12u);
  EXPECT_EQ(info.shell_applets, (std::vector<std::string>{"ash", "hush", "sh"}));
  EXPECT_TRUE(info.ProvidesShell());
}

TEST(MultiCall, BusyBoxWithoutShellApplets) {
  std::string bytes = "BusyBox v1.36.1" + Table({"arch", "base64", "cat", "cp", "echo", "ls",
                                                 "mkdir", "mount", "true", "uname"});
  auto info = InspectMultiCall(bytes);
  EXPECT_EQ(info.kind, "busybox");
  EXPECT_TRUE(info.applets_known);
  EXPECT_TRUE(info.shell_applets.empty());
  EXPECT_FALSE(info.ProvidesShell());
}

TEST(MultiCall, BusyBoxWhoseTableCannotBeFoundCountsAsShell) {
  // "sh" appears, but not inside a sorted run of applet names.
  std::string bytes = "BusyBox v1.36.1" + Table({"zz", "sh", "aa"}) + "\xff";
  auto info = InspectMultiCall(bytes);
  EXPECT_EQ(info.kind, "busybox");
  EXPECT_FALSE(info.applets_known);
  EXPECT_TRUE(info.ProvidesShell());
}

TEST(MultiCall, UnsortedNamesAreNotATable) {
  std::string bytes =
      "BusyBox v1" + Table({"sh", "cat", "ls", "echo", "true", "awk", "cp", "rm", "mv", "ln"});
  EXPECT_FALSE(InspectMultiCall(bytes).applets_known);
}

TEST(MultiCall, Toybox) {
  const char kWithSh[] = "toybox\0usage: toybox [--long]\0usage: cat [-u]\0usage: sh [-c cmd]\0";
  std::string with_sh(kWithSh, sizeof(kWithSh) - 1);
  auto info = InspectMultiCall(with_sh);
  EXPECT_EQ(info.kind, "toybox");
  EXPECT_TRUE(info.applets_known);
  EXPECT_EQ(info.shell_applets, (std::vector<std::string>{"sh"}));
  std::string without("usage: toybox [--long]\nusage: cat [-u]\nusage: shred [-fuz]\n");
  auto info2 = InspectMultiCall(without);
  EXPECT_EQ(info2.kind, "toybox");
  EXPECT_TRUE(info2.applets_known);
  EXPECT_FALSE(info2.ProvidesShell());  // "shred" is not "sh"
  auto no_help = InspectMultiCall("(see toybox --help)");
  EXPECT_FALSE(no_help.applets_known);
  EXPECT_TRUE(no_help.ProvidesShell());
}

TEST(MultiCall, OrdinaryBytes) {
  EXPECT_EQ(InspectMultiCall("").kind, "");
  EXPECT_EQ(InspectMultiCall(Table({"ash", "sh"})).kind, "");
  EXPECT_FALSE(InspectMultiCall("\x7f"
                                "ELF plain program")
                   .ProvidesShell());
}

TEST(MultiCall, RealBinariesOnThisHost) {
  if (access("/bin/busybox", R_OK) == 0) {
    auto bb = InspectMultiCall(ReadAll("/bin/busybox"));
    EXPECT_EQ(bb.kind, "busybox");
    EXPECT_TRUE(bb.applets_known);
    EXPECT_GT(bb.applet_count, 100u);
    EXPECT_NE(std::find(bb.shell_applets.begin(), bb.shell_applets.end(), "sh"),
              bb.shell_applets.end());
  }
  if (access("/usr/bin/toybox", R_OK) == 0) {
    // Debian's toybox 0.8.9 ships without its (pending) shell.
    auto tb = InspectMultiCall(ReadAll("/usr/bin/toybox"));
    EXPECT_EQ(tb.kind, "toybox");
    EXPECT_TRUE(tb.applets_known);
  }
  if (access("/usr/bin/env", R_OK) == 0) {
    EXPECT_EQ(InspectMultiCall(ReadAll("/usr/bin/env")).kind, "");
  }
}

}  // namespace
}  // namespace verified
