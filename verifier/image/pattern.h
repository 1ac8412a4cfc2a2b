// Image patterns in policy rules: globs over normalised references, or anchored regexes.
//
// Glob  "my_company/*"  is normalised like a reference (docker.io/my_company/*), then matched
//       against the repository of a name: `*` and `?` never cross '/', `**` does. A glob with
//       no tag matches every tag and digest of the repositories it covers; one with a tag
//       ("alpine:3.*") matches the full name. "*" and "**" alone match every named image.
//       Because the registry is always part of the match, "registry.example.com/*" cannot
//       match "registry.example.com.evil.io/x", and "my_company/*" never matches
//       "my_company_evil/x" nor "evil.io/my_company/x". The registry host is normalised as in
//       references (NormaliseDomain): "EVIL.IO/*" is "evil.io/*", "index.docker.io/evil/*" and
//       "registry-1.docker.io/evil/*" are "docker.io/evil/*". A pattern is stored as written
//       (policy.json keeps the administrator's text) and matched normalised.
// Regex is the subset of syntax ECMAScript and RE2 (Go's regexp) read alike, matched in linear
//       time (linear_regex.h), anchored at both ends, tried against the familiar form
//       ("my_company/nginx:1.2") and the full form ("docker.io/my_company/nginx:1.2") of the
//       normalised name: the registry host it sees is always lower case (a regex cannot be
//       normalised; lint warns about capitals in one).
#pragma once

#include <memory>
#include <string>

#include "verifier/core/result.h"
#include "verifier/image/linear_regex.h"
#include "verifier/image/reference.h"

namespace verified {

/// A compiled image pattern.
class ImagePattern {
 public:
  /// Compiles a glob. Fails with kInvalidArgument for an empty pattern or one whose registry
  /// or path cannot be a reference even with wildcards.
  static Result<ImagePattern> Glob(const std::string& text);
  /// Compiles a regex. Fails with kInvalidArgument, naming the offset, when LinearRegex
  /// refuses it (outside the supported syntax, or too large).
  static Result<ImagePattern> Regex(const std::string& text);

  /// True when the pattern matches `ref`.
  bool Matches(const Reference& ref) const;
  /// The pattern as written, for messages ("my_company/*", "regex ^x$").
  std::string Describe() const;
  /// True for "*" / "**": matches every named image (used by lint to find dead rules).
  bool MatchesEverything() const { return match_all_; }
  const std::string& text() const { return text_; }
  /// What the pattern is matched as: a glob's normalised form ("evil.io/*" for "EVIL.IO/*",
  /// "*" for "*"), a regex's text. Two globs with the same key match the same names.
  const std::string& key() const { return normalised_; }
  bool is_regex() const { return regex_ != nullptr; }

 private:
  std::string text_;
  std::string normalised_;  // glob normalised to domain/path[:tag][@digest]
  bool has_tag_or_digest_ = false;
  bool match_all_ = false;
  std::shared_ptr<const LinearRegex> regex_;
};

/// Glob match where `*` and `?` stop at '/', `**` crosses it. Exposed for tests.
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace verified
