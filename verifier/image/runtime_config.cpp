#include "verifier/image/runtime_config.h"

#include <algorithm>
#include <map>
#include <string_view>

namespace verified {
namespace {

using nlohmann::json;

enum class Kind { kStringList, kString, kStringMap, kKeySet, kHealthcheck };

struct Field {
  const char* key;    // as in the image config (moby's container.Config / OCI ImageConfig)
  const char* label;  // as named in messages
  Kind kind;
};

// Everything in an image config that changes how a container of it runs, plus "created"
// (judged by max_age_days). Order = the order changes are reported in.
constexpr Field kFields[] = {
    {"Entrypoint", "entrypoint", Kind::kStringList},
    {"Cmd", "cmd", Kind::kStringList},
    {"Env", "env", Kind::kStringList},
    {"User", "user", Kind::kString},
    {"WorkingDir", "working_dir", Kind::kString},
    {"Labels", "labels", Kind::kStringMap},
    {"Healthcheck", "healthcheck", Kind::kHealthcheck},
    {"ExposedPorts", "exposed_ports", Kind::kKeySet},
    {"Volumes", "volumes", Kind::kKeySet},
    {"StopSignal", "stop_signal", Kind::kString},
    {"Shell", "shell", Kind::kStringList},
    {"OnBuild", "onbuild", Kind::kStringList},
    {"created", "created", Kind::kString},
};

constexpr const char* kHealthcheckInts[] = {"Interval", "Timeout", "StartPeriod", "StartInterval",
                                            "Retries"};

// Plain functions rather than lambdas in the loops below: a lambda there would capture the
// loop's structured binding, which clang accepts only from version 16 (P1091R3).
bool IsHealthcheckInt(std::string_view key) {
  return std::find(std::begin(kHealthcheckInts), std::end(kHealthcheckInts), key) !=
         std::end(kHealthcheckInts);
}

const Field* FindField(std::string_view key) {
  for (const Field& f : kFields) {
    if (key == f.key) return &f;
  }
  return nullptr;
}

bool IsUnset(const json& v) {
  // json::empty() is false for every string, so strings are checked on their own.
  if (v.is_string()) return v.get_ref<const std::string&>().empty();
  return v.is_null() || ((v.is_array() || v.is_object()) && v.empty());
}

Error BadField(const char* key, const char* want) {
  return MakeError(ErrorKind::kParse, "config field '{}' is not {}", key, want);
}

Status CheckStringList(const json& v, const char* key) {
  if (!v.is_array() || v.size() > kMaxRuntimeConfigEntries) {
    return BadField(key, "a list of strings");
  }
  for (const auto& e : v) {
    if (!e.is_string()) return BadField(key, "a list of strings");
  }
  return Ok();
}

Status CheckHealthcheck(const json& v) {
  if (!v.is_object()) return BadField("Healthcheck", "an object");
  for (const auto& [k, e] : v.items()) {
    if (k == "Test") {
      VERIFIED_RETURN_IF_ERROR(CheckStringList(e, "Healthcheck.Test"));
      continue;
    }
    if (!IsHealthcheckInt(k))
      return MakeError(ErrorKind::kParse, "config field 'Healthcheck.{}' is unknown", k);
    if (!e.is_number_integer()) return BadField("Healthcheck duration", "an integer");
  }
  return Ok();
}

// Checks the compact value of one field (as stored in a registration).
Status CheckCompact(const Field& f, const json& v) {
  if (IsUnset(v)) return MakeError(ErrorKind::kParse, "config field '{}' is empty", f.key);
  switch (f.kind) {
    case Kind::kStringList:
    case Kind::kKeySet:
      return CheckStringList(v, f.key);
    case Kind::kString:
      if (!v.is_string()) return BadField(f.key, "a string");
      return Ok();
    case Kind::kStringMap:
      if (!v.is_object() || v.size() > kMaxRuntimeConfigEntries) {
        return BadField(f.key, "an object of strings");
      }
      for (const auto& [k, e] : v.items()) {
        if (!e.is_string()) return BadField(f.key, "an object of strings");
      }
      return Ok();
    case Kind::kHealthcheck:
      return CheckHealthcheck(v);
  }
  return Ok();
}

// The compact value of one field of an image config (null when unset).
Result<json> Compact(const Field& f, const json& v) {
  if (IsUnset(v)) return json();
  if (f.kind == Kind::kKeySet) {
    if (!v.is_object() || v.size() > kMaxRuntimeConfigEntries) return BadField(f.key, "an object");
    json keys = json::array();
    for (const auto& [k, e] : v.items()) keys.push_back(k);  // nlohmann objects iterate sorted
    return keys;
  }
  if (f.kind == Kind::kHealthcheck && v.is_object()) {
    json h = json::object();  // only the fields moby defines; others cannot change a run
    for (const auto& [k, e] : v.items()) {
      bool known = k == "Test" || IsHealthcheckInt(k);
      if (known && !IsUnset(e)) h[k] = e;
    }
    if (h.empty()) return json();
    VERIFIED_RETURN_IF_ERROR(CheckCompact(f, h));
    return h;
  }
  VERIFIED_RETURN_IF_ERROR(CheckCompact(f, v));
  return v;
}

// "NAME=value" entries by name (a later duplicate wins, as in the process environment runc
// builds).
std::map<std::string, std::string> EnvByName(const json& env) {
  std::map<std::string, std::string> out;
  if (!env.is_array()) return out;
  for (const auto& e : env) {
    if (!e.is_string()) continue;
    const std::string& s = e.get_ref<const std::string&>();
    auto eq = s.find('=');
    out[s.substr(0, eq)] = eq == std::string::npos ? std::string() : s.substr(eq + 1);
  }
  return out;
}

std::map<std::string, std::string> LabelsByName(const json& labels) {
  std::map<std::string, std::string> out;
  if (!labels.is_object()) return out;
  for (const auto& [k, v] : labels.items()) out[k] = v.is_string() ? v.get<std::string>() : "";
  return out;
}

// "A added, B removed, C changed" over two maps, names only, at most a few of each.
std::string NameChanges(const std::map<std::string, std::string>& was,
                        const std::map<std::string, std::string>& now) {
  std::vector<std::string> parts;
  auto add = [&](const std::string& name, const char* what) {
    if (parts.size() == 5) parts.push_back("...");
    if (parts.size() < 5) parts.push_back(name + " " + what);
  };
  for (const auto& [k, v] : now) {
    auto it = was.find(k);
    if (it == was.end()) {
      add(k, "added");
    } else if (it->second != v) {
      add(k, "changed");
    }
  }
  for (const auto& [k, v] : was) {
    if (!now.count(k)) add(k, "removed");
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

json FieldOf(const json& compact, const char* key) {
  if (!compact.is_object()) return json();
  auto it = compact.find(key);
  return it == compact.end() ? json() : *it;
}

}  // namespace

Result<json> ExtractRuntimeConfig(const json& image_config) {
  json out = json::object();
  if (!image_config.is_object()) return out;
  const json* cfg = nullptr;
  if (auto it = image_config.find("config"); it != image_config.end() && it->is_object()) {
    cfg = &*it;
  }
  for (const auto& f : kFields) {
    const json* from = std::string_view(f.key) == "created" ? &image_config : cfg;
    if (from == nullptr) continue;
    auto it = from->find(f.key);
    if (it == from->end()) continue;
    auto v = Compact(f, *it);
    if (!v.ok()) return Wrap(std::move(v).error(), "image config");
    if (!v->is_null()) out[f.key] = std::move(v).value();
  }
  return out;
}

Result<json> ParseRuntimeConfig(const json& compact) {
  if (!compact.is_object()) return MakeError(ErrorKind::kParse, "config is not an object");
  for (const auto& [k, v] : compact.items()) {
    const Field* f = FindField(k);
    if (f == nullptr) {
      return MakeError(ErrorKind::kParse, "config field '{}' is unknown", k);
    }
    VERIFIED_RETURN_IF_ERROR(CheckCompact(*f, v));
  }
  return compact;
}

std::vector<std::string> RuntimeConfigChanges(const json& registered, const json& actual) {
  std::vector<std::string> out;
  for (const auto& f : kFields) {
    json was = FieldOf(registered, f.key);
    json now = FieldOf(actual, f.key);
    if (was == now) continue;
    std::string detail;
    if (std::string_view(f.key) == "Env") detail = NameChanges(EnvByName(was), EnvByName(now));
    if (f.kind == Kind::kStringMap) detail = NameChanges(LabelsByName(was), LabelsByName(now));
    out.push_back(detail.empty() ? std::string(f.label)
                                 : std::string(f.label) + " (" + detail + ")");
  }
  return out;
}

}  // namespace verified
