#include "verifier/image/pattern.h"

#include <algorithm>
#include <vector>

namespace verified {

bool GlobMatch(std::string_view p, std::string_view t) {
  // Dynamic programming over (pattern prefix, text prefix): with two kinds of star a greedy
  // single-backtrack matcher gives wrong answers ("**/x/*"). Sizes are bounded by the
  // reference length limit, so the table stays small.
  std::vector<char> prev(t.size() + 1, 0), cur(t.size() + 1, 0);
  prev[0] = 1;
  size_t i = 0;
  while (i < p.size()) {
    bool star = p[i] == '*';
    bool dstar = star && i + 1 < p.size() && p[i + 1] == '*';
    std::fill(cur.begin(), cur.end(), 0);
    if (star) {
      // cur[j]: pattern up to and including this star matches t[0..j).
      cur[0] = prev[0];
      for (size_t j = 1; j <= t.size(); ++j) {
        bool extend = cur[j - 1] && (dstar || t[j - 1] != '/');
        cur[j] = prev[j] || extend;
      }
      i += dstar ? 2 : 1;
    } else {
      for (size_t j = 1; j <= t.size(); ++j) {
        bool one = p[i] == t[j - 1] || (p[i] == '?' && t[j - 1] != '/');
        cur[j] = prev[j - 1] && one;
      }
      ++i;
    }
    std::swap(prev, cur);
  }
  return prev[t.size()] != 0;
}

Result<ImagePattern> ImagePattern::Glob(const std::string& text) {
  if (text.empty()) return MakeError(ErrorKind::kInvalidArgument, "empty image pattern");
  if (text.size() > kMaxReferenceLength) {
    return MakeError(ErrorKind::kInvalidArgument, "image pattern longer than {} bytes",
                     kMaxReferenceLength);
  }
  ImagePattern p;
  p.text_ = text;
  if (text == "*" || text == "**") {
    p.match_all_ = true;
    p.normalised_.assign(1, '*');  // "*" and "**" are one pattern
    return p;
  }
  // Separate an optional tag or digest from the last path component, as references do.
  std::string rest = text, suffix;
  auto at = rest.find('@');
  if (at != std::string::npos) {
    suffix = rest.substr(at);
    rest = rest.substr(0, at);
  }
  auto last_slash = rest.rfind('/');
  auto colon = rest.rfind(':');
  if (colon != std::string::npos && (last_slash == std::string::npos || colon > last_slash)) {
    suffix = rest.substr(colon) + suffix;
    rest = rest.substr(0, colon);
  }
  auto [domain, path] = SplitDomain(rest);
  if (path.empty() || domain.empty()) {
    return MakeError(ErrorKind::kInvalidArgument, "image pattern '{}' has an empty name", text);
  }
  for (char c : path) {
    if (c >= 'A' && c <= 'Z') {
      return MakeError(ErrorKind::kInvalidArgument,
                       "image pattern '{}': repository names are lowercase", text);
    }
  }
  if (domain == "docker.io" && path.find('/') == std::string::npos) path = "library/" + path;
  p.normalised_ = domain + "/" + path + suffix;
  p.has_tag_or_digest_ = !suffix.empty();
  return p;
}

Result<ImagePattern> ImagePattern::Regex(const std::string& text) {
  // Never std::regex: it backtracks, and one pattern such as "a_*****/x" would hang every
  // create (linear_regex.h).
  VERIFIED_ASSIGN_OR_RETURN(LinearRegex compiled, LinearRegex::Compile(text));
  ImagePattern p;
  p.text_ = text;
  p.normalised_ = text;
  p.regex_ = std::make_shared<const LinearRegex>(std::move(compiled));
  return p;
}

bool ImagePattern::Matches(const Reference& ref) const {
  if (match_all_) return true;
  if (regex_) {
    return regex_->FullMatch(ref.Familiar()) || regex_->FullMatch(ref.String());
  }
  if (has_tag_or_digest_) return GlobMatch(normalised_, ref.String());
  return GlobMatch(normalised_, ref.Repository());
}

std::string ImagePattern::Describe() const {
  return regex_ ? "regex '" + text_ + "'" : "'" + text_ + "'";
}

}  // namespace verified
