#include "verifier/core/go_json_keys.h"

#include <gtest/gtest.h>

namespace verified {
namespace {

std::string Message(std::string_view text) {
  auto st = CheckGoJsonKeys(text, "config.json");
  return st.ok() ? std::string("accepted") : st.error().What();
}

TEST(GoFoldKey, FoldsAsciiAndTheTwoSpecialRunes) {
  EXPECT_EQ(GoFoldKey("Mounts"), "mounts");
  EXPECT_EQ(GoFoldKey("ociVersion"), "ociversion");
  EXPECT_EQ(GoFoldKey("mas\xE2\x84\xAA"
                      "edPaths"),
            "maskedpaths");                                   // U+212A KELVIN SIGN
  EXPECT_EQ(GoFoldKey("ma\xC5\xBFkedPaths"), "maskedpaths");  // U+017F LONG S
  // Other non-ASCII letters never match an (all-ASCII) OCI field name: kept as they are.
  EXPECT_EQ(GoFoldKey("\xC3\x84"), "\xC3\x84");  // U+00C4
  EXPECT_NE(GoFoldKey("\xC3\x84"), GoFoldKey("\xC3\xA4"));
  EXPECT_EQ(GoFoldKey("a_B-1.c"), "a_b-1.c");
}

TEST(QuoteJsonKey, ShowsLookalikesAndControlBytes) {
  EXPECT_EQ(QuoteJsonKey("mounts"), "\"mounts\"");
  EXPECT_EQ(QuoteJsonKey("mas\xE2\x84\xAA"
                         "edPaths"),
            "\"mas\\u212AedPaths\"");
  EXPECT_EQ(QuoteJsonKey(std::string("a\0\n\"", 4)), "\"a\\u0000\\u000A\\\"\"");
  EXPECT_EQ(QuoteJsonKey("abcdef", 3), "\"abc...\"");
}

TEST(CheckGoJsonKeys, AcceptsDistinctKeys) {
  EXPECT_EQ(Message(R"({"root":{"path":"r"},"mounts":[{"type":"bind"},{"type":"proc"}]})"),
            "accepted");
  // Equal keys in different objects, arrays of objects each checked on their own.
  EXPECT_EQ(Message(R"({"a":{"path":1},"b":{"path":2},"c":[{"x":1},{"x":2,"X2":3}]})"), "accepted");
  EXPECT_EQ(Message(R"([1,"two",null,{"k":true}])"), "accepted");
  EXPECT_EQ(Message(R"("scalar")"), "accepted");
  // Non-ASCII case pairs cannot both reach one field (maps keep keys exactly).
  EXPECT_EQ(Message("{\"\xC3\x84\":1,\"\xC3\xA4\":2}"), "accepted");
}

TEST(CheckGoJsonKeys, RefusesExactDuplicate) {
  EXPECT_EQ(Message(R"({"root":{"path":"a"},"root":{"path":"b"}})"),
            "config.json: the top-level object has key \"root\" twice (runc's decoder lets the "
            "later one win): refused");
  EXPECT_EQ(Message(R"({"process":{"args":["a"],"args":["sh"]}})"),
            "config.json: object at /process has key \"args\" twice (runc's decoder lets the "
            "later one win): refused");
}

TEST(CheckGoJsonKeys, RefusesCaseDuplicateAtTopAndNested) {
  EXPECT_EQ(Message(R"({"root":{"path":"a"},"Root":{"path":"b"}})"),
            "config.json: the top-level object has keys \"root\" and \"Root\" that runc's "
            "decoder treats as one (a later one would win): refused");
  EXPECT_EQ(Message(R"({"linux":{"Mounts":[],"mounts":[]}})"),
            "config.json: object at /linux has keys \"Mounts\" and \"mounts\" that runc's "
            "decoder treats as one (a later one would win): refused");
  EXPECT_EQ(Message(R"({"root":{"path":"a","PATH":"b"}})"),
            "config.json: object at /root has keys \"path\" and \"PATH\" that runc's decoder "
            "treats as one (a later one would win): refused");
}

TEST(CheckGoJsonKeys, RefusesKelvinAndLongSSpellings) {
  // Escaped in JSON (\u212A) and as raw UTF-8: both reach Go's decoder as the same rune.
  EXPECT_EQ(Message(R"({"linux":{"maskedPaths":[],"mas\u212AedPaths":[]}})"),
            "config.json: object at /linux has keys \"maskedPaths\" and \"mas\\u212AedPaths\" "
            "that runc's decoder treats as one (a later one would win): refused");
  EXPECT_NE(Message("{\"mounts\":[],\"mount\xC5\xBF\":[]}"), "accepted");
  EXPECT_NE(Message(R"({"process":{"args":["a"],"arg\u017f":["sh"]}})"), "accepted");
}

TEST(CheckGoJsonKeys, ChecksEachArrayElementSeparatelyAndNamesIt) {
  EXPECT_EQ(Message(R"({"mounts":[{"source":"/a"},{"source":"/b","Source":"/"}]})"),
            "config.json: object at /mounts/1 has keys \"source\" and \"Source\" that runc's "
            "decoder treats as one (a later one would win): refused");
  EXPECT_EQ(Message(R"({"a":[1,[2,{"x":1,"x":2}]]})").substr(0, 34),
            "config.json: object at /a/1/1 has ");
  EXPECT_EQ(Message(R"({"a/b~":{"x":1,"X":2}})").substr(0, 38),
            "config.json: object at /a~1b~0 has key");
}

TEST(CheckGoJsonKeys, RefusesNul) {
  EXPECT_EQ(Message(R"({"process":{"env":["A=1","B=\u0000x"]}})"),
            "config.json: string at /process/env/1 contains a NUL character (\\u0000), which Go "
            "keeps and C cuts: refused");
  EXPECT_EQ(Message(R"({"root":{"pa\u0000th":"x"}})"),
            "config.json: object at /root has a key containing a NUL character (\\u0000): "
            "refused");
  EXPECT_NE(Message(R"("\u0000")"), "accepted");
}

TEST(CheckGoJsonKeys, MalformedAndTooDeep) {
  auto st = CheckGoJsonKeys(R"({"a":)", "config.json");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind(), ErrorKind::kParse);
  EXPECT_FALSE(CheckGoJsonKeys("{\"a\":\"\xFF\"}", "x").ok());  // invalid UTF-8
  EXPECT_FALSE(CheckGoJsonKeys("{} {}", "x").ok());
  std::string deep(100, '[');
  deep += std::string(100, ']');
  auto d = CheckGoJsonKeys(deep, "x");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().kind(), ErrorKind::kTooLarge);
  EXPECT_TRUE(CheckGoJsonKeys(std::string(64, '[') + std::string(64, ']'), "x").ok());
}

}  // namespace
}  // namespace verified
