#include "hooks/hook_state.h"

#include <gtest/gtest.h>

namespace verified::hook {
namespace {

constexpr const char* kRuncState =
    R"({"ociVersion":"1.0.2-dev","id":"4f2a","status":"creating","pid":811,)"
    R"("bundle":"/var/lib/containers/storage/overlay-containers/4f2a/userdata",)"
    R"("annotations":{"io.container.manager":"libpod"}})";

TEST(HookState, ParsesTheStateRuncWrites) {
  auto s = ParseHookState(kRuncState);
  ASSERT_TRUE(s.ok()) << s.error().What();
  EXPECT_EQ(s->oci_version, "1.0.2-dev");
  EXPECT_EQ(s->id, "4f2a");
  EXPECT_EQ(s->status, "creating");
  EXPECT_EQ(s->pid, 811);
  EXPECT_EQ(s->bundle, "/var/lib/containers/storage/overlay-containers/4f2a/userdata");
  EXPECT_EQ(s->annotations.at("io.container.manager"), "libpod");
}

// crun 1.8.1 under Podman 4.3.1 (measured): status "created" and an extra "root" key.
TEST(HookState, ParsesTheStateCrunWrites) {
  auto s =
      ParseHookState(R"({"ociVersion":"1.0","id":"15b4","pid":23727,"root":"/s/overlay/c4/merged",)"
                     R"("bundle":"/s/overlay-containers/15b4/userdata","status":"created",)"
                     R"("annotations":{"io.container.manager":"libpod"}})");
  ASSERT_TRUE(s.ok()) << s.error().What();
  EXPECT_EQ(s->status, "created");
  EXPECT_EQ(s->bundle, "/s/overlay-containers/15b4/userdata");
}

TEST(HookState, PidAndAnnotationsAreOptionalUnknownKeysIgnored) {
  auto s = ParseHookState(
      R"({"ociVersion":"1.0.0","id":"a","status":"created","bundle":"/b","future":[1]})");
  ASSERT_TRUE(s.ok()) << s.error().What();
  EXPECT_EQ(s->pid, 0);
  EXPECT_TRUE(s->annotations.empty());
}

TEST(HookState, RequiredFieldsMustBeStrings) {
  for (const char* text : {
           R"({"id":"a","status":"creating","bundle":"/b"})",
           R"({"ociVersion":"1","status":"creating","bundle":"/b"})",
           R"({"ociVersion":"1","id":"a","bundle":"/b"})",
           R"({"ociVersion":"1","id":"a","status":"creating"})",
           R"({"ociVersion":"1","id":7,"status":"creating","bundle":"/b"})",
           R"({"ociVersion":"1","id":"a","status":"creating","bundle":["/b"]})",
       }) {
    auto s = ParseHookState(text);
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_EQ(s.error().kind(), ErrorKind::kParse) << text;
  }
}

TEST(HookState, RefusesIdsAndBundlesTheRuntimeCannotHaveWritten) {
  for (const char* text : {
           R"({"ociVersion":"1","id":"","status":"creating","bundle":"/b"})",
           R"({"ociVersion":"1","id":"..","status":"creating","bundle":"/b"})",
           R"({"ociVersion":"1","id":"a/b","status":"creating","bundle":"/b"})",
           R"({"ociVersion":"1","id":"a","status":"creating","bundle":"b"})",
           R"({"ociVersion":"1","id":"a","status":"creating","bundle":""})",
           R"({"ociVersion":"1","id":"a","status":"creating","bundle":"/x/../etc"})",
           R"({"ociVersion":"1","id":"a","status":"creating","bundle":"/x/.."})",
       }) {
    auto s = ParseHookState(text);
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_EQ(s.error().kind(), ErrorKind::kInvalidArgument) << text;
  }
  EXPECT_TRUE(
      ParseHookState(R"({"ociVersion":"1","id":"a","status":"c","bundle":"/x/..y/z"})").ok());
}

TEST(HookState, RefusesBadPidAndAnnotations) {
  for (const char* text : {
           R"({"ociVersion":"1","id":"a","status":"c","bundle":"/b","pid":-1})",
           R"({"ociVersion":"1","id":"a","status":"c","bundle":"/b","pid":1.5})",
           R"({"ociVersion":"1","id":"a","status":"c","bundle":"/b","pid":"1"})",
           R"({"ociVersion":"1","id":"a","status":"c","bundle":"/b","annotations":[]})",
           R"({"ociVersion":"1","id":"a","status":"c","bundle":"/b","annotations":{"k":1}})",
       }) {
    EXPECT_FALSE(ParseHookState(text).ok()) << text;
  }
}

TEST(HookState, RefusesDuplicateAndCaseFoldedKeys) {
  // A second "bundle" (or "Bundle") would be read one way here and another by Go tooling.
  for (
      const char* text : {
          R"({"ociVersion":"1","id":"a","status":"c","bundle":"/b","bundle":"/evil"})",
          R"({"ociVersion":"1","id":"a","status":"c","bundle":"/b","Bundle":"/evil"})",
          R"({"ociVersion":"1","id":"a","status":"c","bundle":"/b","annotations":{"k":"1","K":"2"}})",
      }) {
    auto s = ParseHookState(text);
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_EQ(s.error().kind(), ErrorKind::kParse) << text;
  }
}

TEST(HookState, RefusesNonObjectsNulsDepthAndSize) {
  EXPECT_FALSE(ParseHookState("").ok());
  EXPECT_FALSE(ParseHookState("[]").ok());
  EXPECT_FALSE(ParseHookState(R"({"ociVersion":"1","id":"a)"
                              "\\u0000"
                              R"(","status":"c","bundle":"/b"})")
                   .ok());
  std::string deep = R"({"ociVersion":"1","id":"a","status":"c","bundle":"/b","x":)";
  deep += std::string(20, '[') + std::string(20, ']') + "}";
  auto s = ParseHookState(deep);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), ErrorKind::kTooLarge);
  std::string big = R"({"ociVersion":"1","id":"a","status":"c","bundle":"/b","x":")";
  big += std::string(kMaxHookStateBytes, 'a') + "\"}";
  s = ParseHookState(big);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), ErrorKind::kTooLarge);
}

}  // namespace
}  // namespace verified::hook
