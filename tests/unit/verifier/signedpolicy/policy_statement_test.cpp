#include "verifier/signedpolicy/policy_statement.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace verified::signedpolicy {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'a');

PolicyStatement Sample() {
  PolicyStatement s;
  s.version = 4;
  s.signed_at = 1798761600;
  s.expires = 1798761600 + 86400;
  s.grace_seconds = 60;
  s.key = "sha256:" + std::string(64, 'b');
  s.files = {{"policy.json", kDigest},
             {"images/by-name/x.json", kDigest},
             {"keys/a.pub", kDigest},
             {"policy-keys/ops.pub", kDigest}};
  return s;
}

// The sample with one member changed, as text.
std::string With(const std::string& key, const nlohmann::json& value) {
  auto j = nlohmann::json::parse(SerializeStatement(Sample()));
  j[key] = value;
  return j.dump();
}

TEST(PolicyStatement, RoundTrips) {
  std::string text = SerializeStatement(Sample());
  EXPECT_EQ(text.back(), '\n');
  auto s = ParseStatement(text);
  ASSERT_TRUE(s.ok()) << s.error().What();
  EXPECT_EQ(s->version, 4);
  EXPECT_EQ(s->expires, 1798761600 + 86400);
  EXPECT_EQ(s->grace_seconds, 60);
  EXPECT_EQ(s->files, Sample().files);
  EXPECT_EQ(SerializeStatement(*s), text);
  EXPECT_NE(text.find("\"expires\": \"2027-01-02T00:00:00Z\""), std::string::npos) << text;
}

TEST(PolicyStatement, RefusesDuplicateKeys) {
  std::string text = SerializeStatement(Sample());
  std::string dup = text.substr(0, text.size() - 2) + ",\n  \"version\": 99\n}\n";
  auto s = ParseStatement(dup);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), ErrorKind::kParse);
  // Go's case folding: "Version" would be the same member to a Go reader.
  auto folded = ParseStatement(text.substr(0, text.size() - 2) + ",\n  \"Version\": 99\n}\n");
  EXPECT_FALSE(folded.ok());
}

TEST(PolicyStatement, RefusesMissingUnknownAndWrongMembers) {
  auto j = nlohmann::json::parse(SerializeStatement(Sample()));
  for (const char* member :
       {"type", "version", "signed_at", "expires", "grace_seconds", "key", "files"}) {
    auto missing = j;
    missing.erase(member);
    EXPECT_FALSE(ParseStatement(missing.dump()).ok()) << member;
  }
  std::vector<std::string> bad = {
      With("extra", 1),
      With("type", "verified.dev/policy-statement/v2"),
      With("version", 0),
      With("version", -1),
      With("version", 9007199254740992LL),
      With("version", "4"),
      With("version", 4.5),
      With("signed_at", "yesterday"),
      With("expires", "2027-01-01T00:00:00Z"),  // == signed_at
      With("grace_seconds", -1),
      With("grace_seconds", 366LL * 86400 + 1),
      With("key", "sha256:ABC"),
      With("key", std::string(64, 'b')),
      With("files", nlohmann::json::array()),
      With("files", {{"images/x", kDigest}}),  // no policy.json
      With("files", {{"policy.json", "sha256:short"}}),
      With("files", {{"policy.json", kDigest}, {"signatures/x", kDigest}}),
      With("files", {{"policy.json", kDigest}, {"images/../policy.json", kDigest}}),
      With("files", {{"policy.json", kDigest}, {"/etc/passwd", kDigest}}),
      With("files", {{"policy.json", kDigest}, {"images/", kDigest}}),
      With("files", {{"policy.json", kDigest}, {"images//x", kDigest}}),
      With("files", {{"policy.json", kDigest}, {"runtime.json", kDigest}}),
      "[]",
      "",
      "{",
  };
  for (const auto& text : bad) EXPECT_FALSE(ParseStatement(text).ok()) << text;
}

TEST(PolicyStatement, SizeLimit) {
  std::string big(kMaxStatementBytes + 1, ' ');
  auto s = ParseStatement(big);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), ErrorKind::kTooLarge);
}

TEST(PolicyStatement, CoveredPaths) {
  for (const char* ok : {"policy.json", "images/by-name/a.json", "keys/a.pub", "policy-keys/b.pub",
                         "images/by-chain/x.json.tmp.ABCDEF"}) {
    EXPECT_TRUE(IsCoveredPath(ok)) << ok;
  }
  for (const char* bad : {"", "policy.json/", "keys", "keys/", "keys/./a", "keys/../policy.json",
                          "signatures/a", "runtime.json", "policy.sig.json", "./policy.json"}) {
    EXPECT_FALSE(IsCoveredPath(bad)) << bad;
  }
  EXPECT_FALSE(IsCoveredPath(std::string("keys/a\0b", 8)));
}

}  // namespace
}  // namespace verified::signedpolicy
