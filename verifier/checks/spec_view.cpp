#include "verifier/checks/spec_view.h"

#include <algorithm>
#include <cctype>
#include <limits>

#include "verifier/core/json.h"

namespace verified {
namespace {

constexpr size_t kMaxSpecListEntries = 10000;

const nlohmann::json* Find(const nlohmann::json& j, std::string_view key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

// An optional list of objects at j[key]: empty when absent, an error when not a list, too
// long, or holding a non-object.
Result<std::vector<const nlohmann::json*>> ObjectList(const nlohmann::json* j, std::string_view key,
                                                      const std::string& what) {
  std::vector<const nlohmann::json*> out;
  if (j == nullptr) return out;
  const auto* list = Find(*j, key);
  if (list == nullptr) return out;
  if (!list->is_array()) return MakeError(ErrorKind::kParse, "spec {} is not a list", what);
  if (list->size() > kMaxSpecListEntries) {
    return MakeError(ErrorKind::kTooLarge, "spec {} has more than {} entries", what,
                     kMaxSpecListEntries);
  }
  for (const auto& e : *list) {
    if (!e.is_object()) return MakeError(ErrorKind::kParse, "spec {} entry is not an object", what);
    out.push_back(&e);
  }
  return out;
}

Result<std::vector<std::string>> StringList(const nlohmann::json* list, const std::string& what) {
  std::vector<std::string> out;
  if (list == nullptr) return out;
  if (!list->is_array()) return MakeError(ErrorKind::kParse, "{} is not a list", what);
  if (list->size() > kMaxSpecListEntries) {
    return MakeError(ErrorKind::kTooLarge, "{} has more than {} entries", what,
                     kMaxSpecListEntries);
  }
  for (const auto& e : *list) {
    if (!e.is_string()) return MakeError(ErrorKind::kParse, "{} holds a non-string", what);
    out.push_back(e.get<std::string>());
  }
  return out;
}

Result<std::string> StringField(const nlohmann::json& obj, std::string_view key,
                                const std::string& what) {
  const auto* v = Find(obj, key);
  if (v == nullptr) return std::string();
  if (!v->is_string()) return MakeError(ErrorKind::kParse, "{} {} is not a string", what, key);
  return v->get<std::string>();
}

Result<int64_t> IntField(const nlohmann::json& obj, std::string_view key, int64_t fallback,
                         const std::string& what) {
  const auto* v = Find(obj, key);
  if (v == nullptr) return fallback;
  if (!v->is_number_integer()) {
    return MakeError(ErrorKind::kParse, "{} {} is not an integer", what, key);
  }
  return v->get<int64_t>();
}

}  // namespace

std::string NormaliseCapability(std::string_view name) {
  std::string up;
  for (char c : name) up.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (up.rfind("CAP_", 0) != 0) up = "CAP_" + up;
  return up;
}

Result<uint32_t> SpecProcessUid(const Spec& spec) {
  const auto* user = JsonAt(spec.raw, {"process", "user"});
  if (user == nullptr || !user->is_object()) {
    return MakeError(ErrorKind::kParse, "spec has no process.user");
  }
  const auto* uid = Find(*user, "uid");
  if (uid == nullptr) return 0u;  // the OCI default: an absent uid is 0
  if (!uid->is_number_integer() || uid->get<int64_t>() < 0 ||
      uid->get<int64_t>() > std::numeric_limits<uint32_t>::max()) {
    return MakeError(ErrorKind::kParse, "spec process.user.uid is not a uid");
  }
  return static_cast<uint32_t>(uid->get<int64_t>());
}

Result<std::vector<std::string>> SpecEnv(const Spec& spec) {
  return StringList(JsonAt(spec.raw, {"process", "env"}), "spec process.env");
}

Result<bool> SpecNoNewPrivileges(const Spec& spec) {
  const auto* v = JsonAt(spec.raw, {"process", "noNewPrivileges"});
  if (v == nullptr || v->is_null()) return false;
  if (!v->is_boolean()) {
    return MakeError(ErrorKind::kParse, "spec process.noNewPrivileges is not a boolean");
  }
  return v->get<bool>();
}

Result<std::set<std::string>> SpecCapabilities(const Spec& spec) {
  std::set<std::string> out;
  const auto* caps = JsonAt(spec.raw, {"process", "capabilities"});
  if (caps == nullptr || caps->is_null()) return out;
  if (!caps->is_object()) {
    return MakeError(ErrorKind::kParse, "spec process.capabilities is not an object");
  }
  for (const char* set : {"bounding", "effective", "permitted", "inheritable", "ambient"}) {
    VERIFIED_ASSIGN_OR_RETURN(
        std::vector<std::string> names,
        StringList(Find(*caps, set), std::string("spec process.capabilities.") + set));
    for (const auto& n : names) out.insert(NormaliseCapability(n));
  }
  return out;
}

bool SpecMount::IsBind() const {
  if (type == "bind") return true;
  return std::any_of(options.begin(), options.end(),
                     [](const std::string& o) { return o == "bind" || o == "rbind"; });
}

bool SpecMount::ReadOnly() const {
  return std::any_of(options.begin(), options.end(),
                     [](const std::string& o) { return o == "ro" || o == "rro"; });
}

Result<std::vector<SpecMount>> SpecMounts(const Spec& spec) {
  std::vector<SpecMount> out;
  const auto* root = spec.raw.is_object() ? &spec.raw : nullptr;
  VERIFIED_ASSIGN_OR_RETURN(auto entries, ObjectList(root, "mounts", "mounts"));
  for (const auto* e : entries) {
    SpecMount m;
    VERIFIED_ASSIGN_OR_RETURN(m.destination, StringField(*e, "destination", "spec mount"));
    VERIFIED_ASSIGN_OR_RETURN(m.type, StringField(*e, "type", "spec mount"));
    VERIFIED_ASSIGN_OR_RETURN(m.source, StringField(*e, "source", "spec mount"));
    VERIFIED_ASSIGN_OR_RETURN(m.options, StringList(Find(*e, "options"), "spec mount options"));
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<SpecDevice>> SpecDevices(const Spec& spec) {
  std::vector<SpecDevice> out;
  VERIFIED_ASSIGN_OR_RETURN(auto entries,
                            ObjectList(JsonAt(spec.raw, {"linux"}), "devices", "linux.devices"));
  for (const auto* e : entries) {
    SpecDevice d;
    VERIFIED_ASSIGN_OR_RETURN(d.path, StringField(*e, "path", "spec device"));
    VERIFIED_ASSIGN_OR_RETURN(d.type, StringField(*e, "type", "spec device"));
    VERIFIED_ASSIGN_OR_RETURN(d.major, IntField(*e, "major", 0, "spec device"));
    VERIFIED_ASSIGN_OR_RETURN(d.minor, IntField(*e, "minor", 0, "spec device"));
    out.push_back(std::move(d));
  }
  return out;
}

Result<bool> SpecAllowsAllDevices(const Spec& spec) {
  VERIFIED_ASSIGN_OR_RETURN(auto rules, ObjectList(JsonAt(spec.raw, {"linux", "resources"}),
                                                   "devices", "linux.resources.devices"));
  bool all_allowed = false;
  for (const auto* r : rules) {
    VERIFIED_ASSIGN_OR_RETURN(std::string type, StringField(*r, "type", "device rule"));
    VERIFIED_ASSIGN_OR_RETURN(int64_t major, IntField(*r, "major", -1, "device rule"));
    VERIFIED_ASSIGN_OR_RETURN(int64_t minor, IntField(*r, "minor", -1, "device rule"));
    const auto* allow = Find(*r, "allow");
    if (allow == nullptr || !allow->is_boolean()) {
      return MakeError(ErrorKind::kParse, "spec device rule has no boolean allow");
    }
    // The device cgroup applies rules in order, the last matching one wins; a rule without
    // type (or type "a") and without numbers covers every device.
    if ((type.empty() || type == "a") && major == -1 && minor == -1) {
      all_allowed = allow->get<bool>();
    }
  }
  return all_allowed;
}

Result<std::vector<SpecNamespace>> SpecNamespaces(const Spec& spec) {
  std::vector<SpecNamespace> out;
  VERIFIED_ASSIGN_OR_RETURN(
      auto entries, ObjectList(JsonAt(spec.raw, {"linux"}), "namespaces", "linux.namespaces"));
  for (const auto* e : entries) {
    SpecNamespace ns;
    VERIFIED_ASSIGN_OR_RETURN(ns.type, StringField(*e, "type", "spec namespace"));
    VERIFIED_ASSIGN_OR_RETURN(ns.path, StringField(*e, "path", "spec namespace"));
    out.push_back(std::move(ns));
  }
  return out;
}

const nlohmann::json& ImageRunConfig(const ResolvedImage& image) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const auto* cfg = JsonAt(image.config, {"config"});
  return cfg != nullptr && cfg->is_object() ? *cfg : kEmpty;
}

Result<std::vector<std::string>> ImageEnv(const ResolvedImage& image) {
  return StringList(Find(ImageRunConfig(image), "Env"), "image config Env");
}

Finding NeedsSpec(const std::string& requirement, const std::string& would_check) {
  return NotEvaluated(requirement,
                      "needs the container's OCI spec (evaluated when a container is created "
                      "or audited): " +
                          would_check);
}

}  // namespace verified
