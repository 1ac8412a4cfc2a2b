#include "verifier/image/linear_regex.h"

#include <gtest/gtest.h>

#include <regex>

namespace verified {
namespace {

bool Matches(const std::string& pattern, const std::string& text) {
  auto re = LinearRegex::Compile(pattern);
  EXPECT_TRUE(re.ok()) << pattern << ": " << re.error().What();
  return re.ok() && re->FullMatch(text);
}

std::string ErrorOf(const std::string& pattern) {
  auto re = LinearRegex::Compile(pattern);
  EXPECT_FALSE(re.ok()) << pattern << " compiled";
  return re.ok() ? "" : re.error().What();
}

// Every pattern in the supported subset must mean what std::regex (ECMAScript) says it means:
// policies written for the old matcher keep their meaning.
TEST(LinearRegex, AgreesWithEcmaScriptOnTheSupportedSubset) {
  const std::vector<std::string> patterns = {"^evil\\.io/.*$",
                                             "docker\\.io/library/(alpine|busybox):[0-9.]+",
                                             "my_company/.*",
                                             "a*",
                                             "a+b?",
                                             "(ab)*c",
                                             "(?:a|bc){2,3}",
                                             "x{3}",
                                             "x{2,}",
                                             "[^/]+/[a-z0-9_-]+",
                                             "\\d+\\.\\d+",
                                             "\\w+:\\S*",
                                             "a.c",
                                             "(a|)+b",
                                             "(a*)*",
                                             "[\\d.]+",
                                             "[a-]x",
                                             "a\\{1}",
                                             "^$",
                                             "a|^b",
                                             "(a|ab)(c|bcd)(d*)",
                                             ".*?x",
                                             "[\\x41-\\x43]+"};
  const std::vector<std::string> texts = {"",
                                          "a",
                                          "aa",
                                          "aaa",
                                          "b",
                                          "ab",
                                          "abab",
                                          "ababc",
                                          "c",
                                          "xxx",
                                          "xx",
                                          "x",
                                          "xxxx",
                                          "a{,2}",
                                          "a{1}",
                                          "1.25",
                                          "abc",
                                          "a\nc",
                                          "evil.io/x",
                                          "evil.io/",
                                          "docker.io/library/alpine:3.19",
                                          "docker.io/library/busybox:",
                                          "foo/bar_baz-1",
                                          "foo/Bar",
                                          "key:val",
                                          "bcbc",
                                          "bcbcbc",
                                          "abcd",
                                          "x",
                                          "yyx",
                                          "ABC",
                                          "-x",
                                          "ax",
                                          "aab",
                                          "b",
                                          "abcdd"};
  for (const auto& pattern : patterns) {
    std::regex std_re(pattern, std::regex::ECMAScript);
    auto re = LinearRegex::Compile(pattern);
    ASSERT_TRUE(re.ok()) << pattern << ": " << re.error().What();
    for (const auto& text : texts) {
      EXPECT_EQ(re->FullMatch(text), std::regex_match(text, std_re))
          << "pattern " << pattern << " text '" << text << "'";
    }
  }
}

// The image_list fuzz target's finding: std::regex backtracked for minutes on this line. The
// whole-string match now runs in one pass (the suite's timeout catches a regression).
TEST(LinearRegex, NestedQuantifiersThatHungStdRegexAreRefusedOrLinear) {
  EXPECT_NE(ErrorOf("my_********/**local1h").find("quantifier cannot follow a quantifier"),
            std::string::npos);
  EXPECT_TRUE(Matches("(a*)*b", std::string(5000, 'a') + "b"));
  EXPECT_FALSE(Matches("(a*)*b", std::string(5000, 'a')));
  EXPECT_FALSE(Matches("(a|a|aa)*c", std::string(5000, 'a')));
  EXPECT_FALSE(Matches("(x+x+)+y", std::string(5000, 'x')));
}

TEST(LinearRegex, RefusesSyntaxThatDiffersBetweenDialectsOrBacktracks) {
  EXPECT_NE(ErrorOf("(a)\\1").find("unsupported escape"), std::string::npos);
  EXPECT_NE(ErrorOf("a\\b").find("unsupported escape"), std::string::npos);
  EXPECT_NE(ErrorOf("(?=a)a").find("only (?: ) groups"), std::string::npos);
  EXPECT_NE(ErrorOf("(?i)a").find("only (?: ) groups"), std::string::npos);
  EXPECT_NE(ErrorOf("(?<n>a)").find("only (?: ) groups"), std::string::npos);
  EXPECT_NE(ErrorOf("[[:alpha:]]").find("POSIX classes"), std::string::npos);
  EXPECT_NE(ErrorOf("[]a]").find("empty or ambiguous"), std::string::npos);
  EXPECT_NE(ErrorOf("*a").find("nothing to repeat"), std::string::npos);
  EXPECT_NE(ErrorOf("{2}").find("nothing to repeat"), std::string::npos);
  EXPECT_NE(ErrorOf("a**").find("cannot follow"), std::string::npos);
  EXPECT_NE(ErrorOf("a{2}{3}").find("cannot follow"), std::string::npos);
  EXPECT_NE(ErrorOf("^*").find("cannot repeat an anchor"), std::string::npos);
  EXPECT_NE(ErrorOf("(a").find("missing ')'"), std::string::npos);
  EXPECT_NE(ErrorOf("a)").find("unmatched ')'"), std::string::npos);
  EXPECT_NE(ErrorOf("[a").find("missing ']'"), std::string::npos);
  EXPECT_NE(ErrorOf("[z-a]").find("out of order"), std::string::npos);
  EXPECT_NE(ErrorOf("a{3,2}").find("out of order"), std::string::npos);
  EXPECT_NE(ErrorOf("a{256}").find("above 255"), std::string::npos);
  EXPECT_NE(ErrorOf("a\\").find("trailing backslash"), std::string::npos);
  EXPECT_NE(ErrorOf("\\x4").find("two hex digits"), std::string::npos);
  EXPECT_NE(ErrorOf("").find("empty regex"), std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kMaxRegexLength + 1, 'a')).find("longer than"), std::string::npos);
}

TEST(LinearRegex, BoundsTheProgramThatCountedRepetitionsExpandTo) {
  auto small = LinearRegex::Compile("(?:ab){255}");
  ASSERT_TRUE(small.ok());
  EXPECT_LE(small->ProgramSize(), kMaxRegexProgram);
  EXPECT_NE(ErrorOf("((a{255}){255}){255}").find("more than"), std::string::npos);
  std::string deep(kMaxRegexLength / 2 - 1, '(');
  EXPECT_NE(ErrorOf(deep + "a" + std::string(deep.size(), ')')).find("nested deeper"),
            std::string::npos);
}

TEST(LinearRegex, AnchorsAndDotBehaveAsInEcmaScript) {
  EXPECT_TRUE(Matches("^a$", "a"));
  EXPECT_FALSE(Matches("a^b", "ab"));
  EXPECT_FALSE(Matches(".", "\n"));
  EXPECT_TRUE(Matches("[^a]", "\n"));
  EXPECT_TRUE(Matches("a{2,3}?", "aa"));
  EXPECT_TRUE(Matches("\\.\\/\\-", "./-"));
  // Not a count: a literal, as in RE2 and ECMAScript Annex B (libstdc++ throws on it).
  EXPECT_TRUE(Matches("a{,2}", "a{,2}"));
}

}  // namespace
}  // namespace verified
