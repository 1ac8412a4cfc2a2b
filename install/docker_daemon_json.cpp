#include "install/docker_daemon_json.h"

#include "verifier/core/json.h"

namespace verified::install {
namespace {

Result<nlohmann::ordered_json> ParseObject(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return nlohmann::ordered_json::object();
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::ordered_json j, ParseOrderedJson(text, "daemon.json"));
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "daemon.json is not a JSON object");
  return j;
}

}  // namespace

Result<DaemonJsonMerge> MergeDaemonJson(std::string_view existing, const DockerRuntimeEntry& e) {
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::ordered_json j, ParseObject(existing));
  DaemonJsonMerge out;
  if (j.contains("runtimes") && !j["runtimes"].is_object()) {
    return MakeError(ErrorKind::kParse, "daemon.json: \"runtimes\" is not an object");
  }
  nlohmann::ordered_json args = {"--config-dir=" + e.config_dir};
  // Every engine's calls must share one signed-policy high-water mark: a non-default state dir
  // goes on the command line as the config dir does.
  if (!e.state_dir.empty() && e.state_dir != "/var/lib/verified") {
    args.push_back("--state-dir=" + e.state_dir);
  }
  j["runtimes"][e.name] = {{"path", e.runtime_path}, {"runtimeArgs", args}};
  if (e.set_default) {
    if (j.contains("default-runtime") && j["default-runtime"].is_string() &&
        j["default-runtime"] != e.name) {
      out.previous_default = j["default-runtime"].get<std::string>();
    }
    j["default-runtime"] = e.name;
  }
  out.text = j.dump(2) + "\n";
  return out;
}

Result<std::string> UnmergeDaemonJson(std::string_view existing, const std::string& name,
                                      const std::optional<std::string>& previous_default) {
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::ordered_json j, ParseObject(existing));
  if (j.contains("runtimes") && j["runtimes"].is_object()) {
    j["runtimes"].erase(name);
    if (j["runtimes"].empty()) j.erase("runtimes");
  }
  if (j.contains("default-runtime") && j["default-runtime"] == name) {
    if (previous_default) {
      j["default-runtime"] = *previous_default;
    } else {
      j.erase("default-runtime");
    }
  }
  return j.dump(2) + "\n";
}

}  // namespace verified::install
