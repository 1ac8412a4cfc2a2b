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

}  // namespace
}  // namespace verified::shim
