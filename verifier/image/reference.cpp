#include "verifier/image/reference.h"

#include "verifier/image/digest.h"

namespace verified {
namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// path-component := [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*   (distribution/reference regexp.go)
bool ValidPathComponent(std::string_view c) {
  if (c.empty() || !IsLowerAlnum(c.front()) || !IsLowerAlnum(c.back())) return false;
  size_t i = 0;
  while (i < c.size()) {
    if (IsLowerAlnum(c[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < c.size() && !IsLowerAlnum(c[i])) ++i;
    std::string_view sep = c.substr(start, i - start);
    bool dashes = sep.find_first_not_of('-') == std::string_view::npos;
    if (!(sep == "." || sep == "_" || sep == "__" || dashes)) return false;
  }
  return true;
}

// domain := host (":" port)?, host := label ("." label)* or "[" ipv6 "]"
bool ValidPort(std::string_view port) {
  return !port.empty() && port.size() <= 5 &&
         port.find_first_not_of("0123456789") == std::string_view::npos;
}

bool ValidDomain(std::string_view d) {
  if (d.empty()) return false;
  std::string_view host = d;
  if (d.front() == '[') {
    auto close = d.find(']');
    if (close == std::string_view::npos) return false;
    host = d.substr(1, close - 1);
    auto rest = d.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !ValidPort(rest.substr(1)))) return false;
    return !host.empty() &&
           host.find_first_not_of("0123456789abcdefABCDEF:") == std::string_view::npos;
  }
  auto colon = d.find(':');
  if (colon != std::string_view::npos) {
    if (!ValidPort(d.substr(colon + 1))) return false;
    host = d.substr(0, colon);
  }
  size_t pos = 0;
  while (pos <= host.size()) {
    auto dot = host.find('.', pos);
    auto label = host.substr(pos, dot == std::string_view::npos ? host.size() - pos : dot - pos);
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      bool ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  return true;
}

// tag := [\w][\w.-]{0,127}
bool ValidTag(std::string_view t) {
  if (t.empty() || t.size() > 128) return false;
  auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  if (!word(t.front())) return false;
  for (char c : t) {
    if (!word(c) && c != '.' && c != '-') return false;
  }
  return true;
}

}  // namespace

bool IsDockerHubHost(std::string_view h) {
  return h == "docker.io" || h == "index.docker.io" || h == "registry-1.docker.io";
}

std::string NormaliseDomain(std::string_view domain) {
  std::string lower(domain);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (lower.find_first_of(".:") == std::string::npos && lower != "localhost") {
    std::string upper(domain);
    for (char& c : upper) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return upper;
  }
  if (IsDockerHubHost(lower)) return "docker.io";
  return lower;
}

std::pair<std::string, std::string> SplitDomain(std::string_view name) {
  auto slash = name.find('/');
  if (slash == std::string_view::npos) return {"docker.io", std::string(name)};
  std::string_view first = name.substr(0, slash);
  bool is_domain = first.find_first_of(".:") != std::string_view::npos || first == "localhost";
  // distribution/reference also treats a first component with uppercase letters as a domain.
  for (char c : first) {
    if (c >= 'A' && c <= 'Z') is_domain = true;
  }
  if (!is_domain) return {"docker.io", std::string(name)};
  return {NormaliseDomain(first), std::string(name.substr(slash + 1))};
}

std::optional<std::string> ParseImageId(std::string_view text) {
  if (IsSha256Digest(text)) return std::string(text);
  if (IsHex64(text)) return "sha256:" + std::string(text);
  return std::nullopt;
}

Result<Reference> ParseReference(std::string_view text) {
  if (text.size() > kMaxReferenceLength) {
    return MakeError(ErrorKind::kInvalidArgument, "image reference longer than {} bytes",
                     kMaxReferenceLength);
  }
  if (text.empty()) return MakeError(ErrorKind::kInvalidArgument, "empty image reference");
  if (IsHex64(text)) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "'{}' is an image ID, not a name (64-byte hexadecimal strings are IDs)", text);
  }
  Reference ref;
  std::string_view rest = text;
  auto at = rest.find('@');
  if (at != std::string_view::npos) {
    auto digest = rest.substr(at + 1);
    if (!IsSha256Digest(digest)) {
      return MakeError(ErrorKind::kInvalidArgument, "'{}': invalid digest", text);
    }
    ref.digest = std::string(digest);
    rest = rest.substr(0, at);
  }
  auto last_slash = rest.rfind('/');
  auto colon = rest.rfind(':');
  if (colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || colon > last_slash)) {
    auto tag = rest.substr(colon + 1);
    if (!ValidTag(tag)) return MakeError(ErrorKind::kInvalidArgument, "'{}': invalid tag", text);
    ref.tag = std::string(tag);
    rest = rest.substr(0, colon);
  }
  auto [domain, path] = SplitDomain(rest);
  if (!ValidDomain(domain)) {
    return MakeError(ErrorKind::kInvalidArgument, "'{}': invalid registry '{}'", text, domain);
  }
  if (domain == "docker.io" && path.find('/') == std::string::npos) path = "library/" + path;
  size_t pos = 0;
  while (pos <= path.size()) {
    auto slash = path.find('/', pos);
    auto comp = std::string_view(path).substr(
        pos, slash == std::string::npos ? path.size() - pos : slash - pos);
    if (!ValidPathComponent(comp)) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "'{}': invalid repository name (lowercase letters, digits and separators "
                       "only)",
                       text);
    }
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  if (domain.size() + 1 + path.size() > 255) {
    return MakeError(ErrorKind::kInvalidArgument, "'{}': repository name longer than 255", text);
  }
  ref.domain = std::move(domain);
  ref.path = std::move(path);
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  return ref;
}

std::string Reference::Repository() const { return domain + "/" + path; }

std::string Reference::String() const {
  std::string s = Repository();
  if (!tag.empty()) s += ":" + tag;
  if (!digest.empty()) s += "@" + digest;
  return s;
}

std::string Reference::Familiar() const {
  std::string s;
  if (domain == "docker.io") {
    s = path.rfind("library/", 0) == 0 && path.find('/', 8) == std::string::npos ? path.substr(8)
                                                                                 : path;
    // docker.io/registry.example.com/app is a Docker Hub name; shortened it would read as
    // registry.example.com's app (and a regex on the short form would take it for one).
    if (SplitDomain(s).second != s) s = Repository();
  } else {
    s = Repository();
  }
  if (!tag.empty()) s += ":" + tag;
  if (!digest.empty()) s += "@" + digest;
  return s;
}

}  // namespace verified
