#include "shim/own_options.h"

#include <gtest/gtest.h>

namespace verified::shim {
namespace {

TEST(OwnOptions, LeadingOptionsOnly) {
  auto o = ParseOwnOptions(
      {"--config-dir=/etc/v", "--runc", "/usr/sbin/runc.real", "--root", "/r", "create", "id"}, "");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->config_dir, "/etc/v");
  EXPECT_EQ(o->runc, "/usr/sbin/runc.real");
  EXPECT_EQ(o->consumed, 3u);
}

TEST(OwnOptions, DefaultsAndEnvironment) {
  auto o = ParseOwnOptions({"state", "id"}, "");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->config_dir, "/etc/verified");
  EXPECT_EQ(o->consumed, 0u);
  o = ParseOwnOptions({"state", "id"}, "/srv/v");
  EXPECT_EQ(o->config_dir, "/srv/v");
  o = ParseOwnOptions({"--config-dir", "/a", "state"}, "/srv/v");
  EXPECT_EQ(o->config_dir, "/a");
}

TEST(OwnOptions, SealDirFromOptionEnvironmentOrDefault) {
  auto o = ParseOwnOptions({"state", "id"}, "");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->seal_dir, "/run/verified/seals");
  o = ParseOwnOptions({"state", "id"}, "", "/tmp/seals");
  EXPECT_EQ(o->seal_dir, "/tmp/seals");
  o = ParseOwnOptions({"--seal-dir=/a", "--config-dir", "/c", "state"}, "", "/tmp/seals");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->seal_dir, "/a");
  EXPECT_EQ(o->config_dir, "/c");
  EXPECT_EQ(o->consumed, 3u);
  EXPECT_FALSE(ParseOwnOptions({"--seal-dir="}, "").ok());
  EXPECT_FALSE(ParseOwnOptions({"--seal-dir"}, "").ok());
}

TEST(OwnOptions, OptionsAfterRuncsAreRuncs) {
  auto o = ParseOwnOptions({"create", "--config-dir=/x", "id"}, "");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->consumed, 0u);
}

TEST(OwnOptions, MissingValues) {
  EXPECT_FALSE(ParseOwnOptions({"--config-dir"}, "").ok());
  EXPECT_FALSE(ParseOwnOptions({"--config-dir="}, "").ok());
  EXPECT_FALSE(ParseOwnOptions({"--runc", ""}, "").ok());
}

TEST(OwnOptions, StateDirFromOptionEnvironmentOrDefault) {
  auto o = ParseOwnOptions({"state", "id"}, "");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->state_dir, "/var/lib/verified");
  o = ParseOwnOptions({"state", "id"}, "", "", "/srv/state");
  EXPECT_EQ(o->state_dir, "/srv/state");
  // Docker's runtimeArgs form and the spaced form; runc's own argv is left exactly as it was.
  o = ParseOwnOptions({"--config-dir=/c", "--state-dir=/s", "--root", "/r", "create", "x"}, "", "",
                      "/env");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->state_dir, "/s");
  EXPECT_EQ(o->consumed, 2u);
  o = ParseOwnOptions({"--state-dir", "/s2", "state", "--state-dir", "/x"}, "");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->state_dir, "/s2");
  EXPECT_EQ(o->consumed, 2u) << "a --state-dir after runc's first argument is runc's";
  EXPECT_FALSE(ParseOwnOptions({"--state-dir"}, "").ok());
  EXPECT_FALSE(ParseOwnOptions({"--state-dir="}, "").ok());
  EXPECT_FALSE(ParseOwnOptions({"--state-dir", ""}, "").ok());
}

}  // namespace
}  // namespace verified::shim
