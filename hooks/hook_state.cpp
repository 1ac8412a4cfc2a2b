#include "hooks/hook_state.h"

#include "verifier/core/go_json_keys.h"

namespace verified::hook {
namespace {

constexpr std::string_view kWhat = "OCI hook state on stdin";

Result<std::string> RequiredString(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return MakeError(ErrorKind::kParse, "{}: \"{}\" is missing", kWhat, key);
  if (!it->is_string()) {
    return MakeError(ErrorKind::kParse, "{}: \"{}\" is not a string", kWhat, key);
  }
  return it->get<std::string>();
}

// The id names runc's and crun's state directory, so both refuse '/' and empty ids; a hook
// that accepted one would decide about a container the runtime cannot have created.
Status CheckId(const std::string& id) {
  if (id.empty() || id == "." || id == ".." || id.find('/') != std::string::npos) {
    return MakeError(ErrorKind::kInvalidArgument, "{}: \"id\" is not a container id", kWhat);
  }
  return Ok();
}

// The runtime resolves the bundle before running hooks (runc: filepath.Abs), so a relative
// or dotted path can only be a forged state; resolving it here would depend on our cwd.
Status CheckBundle(const std::string& bundle) {
  if (bundle.empty() || bundle.front() != '/') {
    return MakeError(ErrorKind::kInvalidArgument, "{}: \"bundle\" is not an absolute path", kWhat);
  }
  std::string_view rest = bundle;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    if (part == "..") {
      return MakeError(ErrorKind::kInvalidArgument, "{}: \"bundle\" contains \"..\"", kWhat);
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return Ok();
}

Result<int64_t> OptionalPid(const nlohmann::json& j) {
  auto it = j.find("pid");
  if (it == j.end()) return int64_t{0};
  if (!it->is_number_integer() || it->get<int64_t>() < 0) {
    return MakeError(ErrorKind::kParse, "{}: \"pid\" is not a non-negative integer", kWhat);
  }
  return it->get<int64_t>();
}

Result<std::map<std::string, std::string>> OptionalAnnotations(const nlohmann::json& j) {
  std::map<std::string, std::string> out;
  auto it = j.find("annotations");
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_object()) {
    return MakeError(ErrorKind::kParse, "{}: \"annotations\" is not an object", kWhat);
  }
  for (const auto& [k, v] : it->items()) {
    if (!v.is_string()) {
      return MakeError(ErrorKind::kParse, "{}: annotation {} is not a string", kWhat,
                       QuoteJsonKey(k));
    }
    out.emplace(k, v.get<std::string>());
  }
  return out;
}

}  // namespace

Result<HookState> ParseHookState(std::string_view text) {
  if (text.size() > kMaxHookStateBytes) {
    return MakeError(ErrorKind::kTooLarge, "{}: {} bytes exceed the limit of {}", kWhat,
                     text.size(), kMaxHookStateBytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json j, ParseJsonAsGo(text, kWhat, kMaxHookStateDepth));
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "{}: not a JSON object", kWhat);
  HookState s;
  VERIFIED_ASSIGN_OR_RETURN(s.oci_version, RequiredString(j, "ociVersion"));
  VERIFIED_ASSIGN_OR_RETURN(s.id, RequiredString(j, "id"));
  VERIFIED_RETURN_IF_ERROR(CheckId(s.id));
  VERIFIED_ASSIGN_OR_RETURN(s.status, RequiredString(j, "status"));
  VERIFIED_ASSIGN_OR_RETURN(s.bundle, RequiredString(j, "bundle"));
  VERIFIED_RETURN_IF_ERROR(CheckBundle(s.bundle));
  VERIFIED_ASSIGN_OR_RETURN(s.pid, OptionalPid(j));
  VERIFIED_ASSIGN_OR_RETURN(s.annotations, OptionalAnnotations(j));
  return s;
}

}  // namespace verified::hook
