#include "verifier/signedpolicy/policy_mark.h"

#include <nlohmann/json.hpp>

#include "verifier/config/state_dir.h"
#include "verifier/core/go_json_keys.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/image/digest.h"
#include "verifier/signature/strict_object.h"
#include "verifier/signedpolicy/policy_statement.h"

namespace verified::signedpolicy {
namespace {

constexpr std::string_view kWhat = "policy high-water mark";
constexpr size_t kMaxMarkKeys = 1000;

bool IsDigest(const nlohmann::json& j) {
  if (!j.is_string()) return false;
  return IsSha256Digest(j.get_ref<const std::string&>());
}

}  // namespace

std::string MarkPath(const std::string& state_dir) { return state_dir + "/" + kMarkFileName; }

Result<PolicyMark> ParseMark(std::string_view text) {
  if (text.size() > kMaxMarkBytes) {
    return MakeError(ErrorKind::kTooLarge, "{} of {} bytes exceeds the limit of {}", kWhat,
                     text.size(), kMaxMarkBytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json j, ParseJsonAsGo(text, kWhat));
  VERIFIED_RETURN_IF_ERROR(signature::CheckMembers(
      j, kWhat, {"version", "statement", "policy_keys"}, {"version", "statement", "policy_keys"}));
  PolicyMark m;
  const auto& v = j["version"];
  if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > kMaxVersion ||
      (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(kMaxVersion))) {
    return MakeError(ErrorKind::kParse, "{}: version must be an integer from 1 to {}", kWhat,
                     kMaxVersion);
  }
  m.version = v.get<int64_t>();
  if (!IsDigest(j["statement"])) {
    return MakeError(ErrorKind::kParse, "{}: statement: want \"sha256:<64 hex>\"", kWhat);
  }
  m.statement = j["statement"].get<std::string>();
  const auto& keys = j["policy_keys"];
  if (!keys.is_array() || keys.size() > kMaxMarkKeys) {
    return MakeError(ErrorKind::kParse, "{}: policy_keys must be an array of at most {}", kWhat,
                     kMaxMarkKeys);
  }
  for (const auto& k : keys) {
    if (!IsDigest(k)) {
      return MakeError(ErrorKind::kParse, "{}: policy_keys: want \"sha256:<64 hex>\"", kWhat);
    }
    m.policy_keys.push_back(k.get<std::string>());
  }
  return m;
}

std::string SerializeMark(const PolicyMark& mark) {
  nlohmann::ordered_json j;
  j["version"] = mark.version;
  j["statement"] = mark.statement;
  j["policy_keys"] = mark.policy_keys;
  return j.dump() + "\n";
}

Result<std::optional<PolicyMark>> ReadMark(const std::string& state_dir) {
  Status dir = CheckTrustedPath(state_dir);
  if (!dir.ok()) {
    if (dir.error().kind() == ErrorKind::kNotFound) return std::optional<PolicyMark>();
    return Wrap(std::move(dir).error(), "state dir");
  }
  auto text = ReadTrustedFile(MarkPath(state_dir), kMaxMarkBytes);
  if (!text.ok()) {
    if (text.error().kind() == ErrorKind::kNotFound) return std::optional<PolicyMark>();
    return std::move(text).error();
  }
  auto mark = ParseMark(*text);
  if (!mark.ok()) return Wrap(std::move(mark).error(), "{}", MarkPath(state_dir));
  return std::optional<PolicyMark>(std::move(mark).value());
}

Result<PolicyMark> RaiseMark(const std::string& state_dir, const std::string& config_dir,
                             const PolicyMark& mark) {
  VERIFIED_RETURN_IF_ERROR(EnsureStateDir(state_dir, config_dir));
  // Two creates may accept two new versions at once: the compare and the write happen under
  // one lock, so the mark never moves down.
  VERIFIED_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(state_dir + "/.lock"));
  VERIFIED_ASSIGN_OR_RETURN(std::optional<PolicyMark> current, ReadMark(state_dir));
  if (current && current->version >= mark.version) return *current;
  VERIFIED_RETURN_IF_ERROR(WriteFileAtomic(MarkPath(state_dir), SerializeMark(mark), 0600));
  return mark;
}

}  // namespace verified::signedpolicy
