// LinearRegex: the regular expressions of policy rules and image lists, matched in time linear
// in the text, whatever the pattern.
//
// std::regex (like every backtracking engine) takes exponential time on patterns such as
// "my_*****/x" or "(a*)*b": one such rule in policy.json would hang every create on the host,
// and an image list given to `verifiedctl policy import` could hang the tool (found by the
// image_list fuzz target). Go's regexp, which containers-policy.json and Docker use, is RE2:
// it never backtracks. This is a small Thompson-NFA matcher (Pike's VM without captures) over
// the subset of syntax that ECMAScript and RE2 read the same way, so a pattern that parses
// here means what its author expects under either:
//
//   literals, `.` (any byte but newline), escaped punctuation (`\.`, `\/`, `\-`, ...),
//   `\d \D \w \W \s \S \t \n \r \f \v \xHH`, classes `[a-z0-9_]`, `[^/]` (with the escapes
//   above inside), groups `( )` and `(?: )`, alternation `|`, anchors `^` `$`, and the
//   quantifiers `* + ? {n} {n,} {n,m}` (n, m <= 255), each optionally lazy (`*?`: the same
//   thing for a whole-string match).
//
// Refused with a clear error, never reinterpreted: backreferences, lookaround, named groups,
// inline flags, `\b`, `\B`, other letter escapes, POSIX classes (`[[:alpha:]]`), an empty class
// `[]`, a quantifier with nothing to repeat or after another quantifier (`a**`), and programs
// that would exceed kMaxRegexProgram instructions once counted repetitions are expanded.
// Text is matched bytewise (image names are ASCII).
#pragma once

#include <bitset>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"

namespace verified {

/// Longest regex source accepted.
inline constexpr size_t kMaxRegexLength = 4096;
/// Most instructions a compiled regex may have (bounds the work per text byte).
inline constexpr size_t kMaxRegexProgram = 20000;
/// Largest count in `{n,m}`.
inline constexpr int kMaxRegexRepeat = 255;

/// A compiled regex; FullMatch takes O(text length x program size) time and O(program size)
/// memory.
class LinearRegex {
 public:
  /// Compiles `pattern` (syntax in the file comment). kInvalidArgument naming the offset and
  /// the problem for anything outside the subset, unbalanced groups or classes, an empty
  /// pattern, or one over kMaxRegexLength / kMaxRegexProgram.
  static Result<LinearRegex> Compile(std::string_view pattern);

  /// True when the whole of `text` matches (std::regex_match semantics).
  bool FullMatch(std::string_view text) const;

  /// Number of instructions (for tests of the expansion limit).
  size_t ProgramSize() const { return program_.size(); }

  /// One VM instruction (public for the compiler in linear_regex.cpp; not an API).
  struct Inst {
    enum Op : unsigned char { kByteSet, kSplit, kJump, kBegin, kEnd, kMatch } op = kMatch;
    int x = 0;  ///< jump / first branch target; byte set index for kByteSet
    int y = 0;  ///< second branch target
  };

 private:
  std::vector<Inst> program_;
  std::vector<std::bitset<256>> sets_;
  friend class RegexCompiler;
};

}  // namespace verified
