#include "verifier/signedpolicy/policy_statement.h"

#include <nlohmann/json.hpp>

#include "verifier/core/go_json_keys.h"
#include "verifier/fs/dir.h"
#include "verifier/image/digest.h"
#include "verifier/signature/strict_object.h"
#include "verifier/signedpolicy/rfc3339.h"

namespace verified::signedpolicy {
namespace {

constexpr std::string_view kStatementWhat = "policy statement";

Result<int64_t> IntMember(const nlohmann::json& j, const char* key, int64_t lo, int64_t hi) {
  const auto& v = j[key];
  if (!v.is_number_integer()) {
    return MakeError(ErrorKind::kParse, "{}: {} must be an integer", kStatementWhat, key);
  }
  int64_t n = v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(hi)
                  ? hi + 1
                  : v.get<int64_t>();
  if (n < lo || n > hi) {
    return MakeError(ErrorKind::kParse, "{}: {} must be between {} and {}", kStatementWhat, key, lo,
                     hi);
  }
  return n;
}

Result<int64_t> TimeMember(const nlohmann::json& j, const char* key) {
  VERIFIED_ASSIGN_OR_RETURN(std::string text, signature::RequiredString(j, key, kStatementWhat));
  auto t = ParseRfc3339(text);
  if (!t.ok()) return Wrap(std::move(t).error(), "{}: {}", kStatementWhat, key);
  return t;
}

Status ParseFiles(const nlohmann::json& files, PolicyStatement& out) {
  if (!files.is_object())
    return MakeError(ErrorKind::kParse, "{}: files must be an object", kStatementWhat);
  if (files.size() > kMaxStatementFiles) {
    return MakeError(ErrorKind::kTooLarge, "{}: {} files exceeds the limit of {}", kStatementWhat,
                     files.size(), kMaxStatementFiles);
  }
  for (const auto& [path, digest] : files.items()) {
    if (!IsCoveredPath(path)) {
      return MakeError(ErrorKind::kParse, "{}: files: {} is not a covered path", kStatementWhat,
                       QuoteJsonKey(path, 120));
    }
    if (!digest.is_string() || !IsSha256Digest(digest.get<std::string>())) {
      return MakeError(ErrorKind::kParse, "{}: files.{}: want \"sha256:<64 hex>\"", kStatementWhat,
                       QuoteJsonKey(path, 120));
    }
    out.files.emplace(path, digest.get<std::string>());
  }
  if (!out.files.count("policy.json")) {
    return MakeError(ErrorKind::kParse, "{}: files does not list policy.json", kStatementWhat);
  }
  return Ok();
}

}  // namespace

bool IsCoveredPath(std::string_view path) {
  if (path == "policy.json") return true;
  bool prefixed = false;
  for (std::string_view p : {"images/", "keys/", "policy-keys/"}) {
    if (path.substr(0, p.size()) == p && path.size() > p.size()) prefixed = true;
  }
  if (!prefixed || path.find('\0') != std::string_view::npos) return false;
  return CheckRelativePath(path).ok();
}

std::string SerializeStatement(const PolicyStatement& s) {
  nlohmann::ordered_json j;
  j["type"] = kStatementType;
  j["version"] = s.version;
  j["signed_at"] = FormatRfc3339(s.signed_at);
  j["expires"] = FormatRfc3339(s.expires);
  j["grace_seconds"] = s.grace_seconds;
  j["key"] = s.key;
  nlohmann::ordered_json files = nlohmann::ordered_json::object();
  for (const auto& [path, digest] : s.files) files[path] = digest;
  j["files"] = std::move(files);
  return j.dump(2) + "\n";
}

Result<PolicyStatement> ParseStatement(std::string_view bytes) {
  if (bytes.size() > kMaxStatementBytes) {
    return MakeError(ErrorKind::kTooLarge, "{} of {} bytes exceeds the limit of {}", kStatementWhat,
                     bytes.size(), kMaxStatementBytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json j, ParseJsonAsGo(bytes, kStatementWhat));
  VERIFIED_RETURN_IF_ERROR(signature::CheckMembers(
      j, kStatementWhat,
      {"type", "version", "signed_at", "expires", "grace_seconds", "key", "files"},
      {"type", "version", "signed_at", "expires", "grace_seconds", "key", "files"}));
  VERIFIED_ASSIGN_OR_RETURN(std::string type, signature::RequiredString(j, "type", kStatementWhat));
  if (type != kStatementType) {
    return MakeError(ErrorKind::kParse, "{}: type {} is not {}", kStatementWhat,
                     QuoteJsonKey(type, 80), kStatementType);
  }
  PolicyStatement s;
  VERIFIED_ASSIGN_OR_RETURN(s.version, IntMember(j, "version", 1, kMaxVersion));
  VERIFIED_ASSIGN_OR_RETURN(s.signed_at, TimeMember(j, "signed_at"));
  VERIFIED_ASSIGN_OR_RETURN(s.expires, TimeMember(j, "expires"));
  if (s.expires <= s.signed_at) {
    return MakeError(ErrorKind::kParse, "{}: expires is not after signed_at", kStatementWhat);
  }
  VERIFIED_ASSIGN_OR_RETURN(s.grace_seconds, IntMember(j, "grace_seconds", 0, kMaxGraceSeconds));
  VERIFIED_ASSIGN_OR_RETURN(s.key, signature::RequiredString(j, "key", kStatementWhat));
  if (!IsSha256Digest(s.key)) {
    return MakeError(ErrorKind::kParse, "{}: key: want \"sha256:<64 hex>\"", kStatementWhat);
  }
  VERIFIED_RETURN_IF_ERROR(ParseFiles(j["files"], s));
  return s;
}

}  // namespace verified::signedpolicy
