#include "install/engine_drop_in.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <optional>

#include "install/install_state.h"
#include "verifier/crypto/sha256.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"

namespace verified::install {
namespace {

constexpr size_t kMaxDropInBytes = 1u << 20;
constexpr const char* kDefaultConfigDir = "/etc/verified";
constexpr const char* kDefaultStateDir = "/var/lib/verified";
constexpr const char* kStandardPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

Status Validate(const RuntimeDropIn& d) {
  bool name_ok = !d.name.empty() && d.name.size() <= 64 &&
                 std::all_of(d.name.begin(), d.name.end(), [](char c) {
                   return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
                 });
  if (!name_ok) {
    return MakeError(ErrorKind::kInvalidArgument, "runtime name '{}' must be [a-z0-9_-]+", d.name);
  }
  for (const std::string* p : {&d.runtime_path, &d.config_dir, &d.runtime_root, &d.state_dir}) {
    if (p->empty() || p->front() != '/' || p->find('\n') != std::string::npos) {
      return MakeError(ErrorKind::kInvalidArgument, "'{}' must be an absolute path", *p);
    }
  }
  return Ok();
}

std::string Header(const char* engine) {
  return fmt::format(
      "# Written by `verifiedctl install {0}`; `verifiedctl uninstall {0}` removes it.\n"
      "# Registers the verified OCI runtime; every other setting stays where it is.\n",
      engine);
}

}  // namespace

std::string TomlQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04X}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

Result<std::string> PodmanDropInText(const RuntimeDropIn& d) {
  VERIFIED_RETURN_IF_ERROR(Validate(d));
  std::string t = Header("podman");
  if (d.config_dir != kDefaultConfigDir) {
    t += fmt::format(
        "# The config dir is {}: run podman with --runtime-flag config-dir={} (podman passes\n"
        "# no environment of its own to the runtime).\n",
        d.config_dir, d.config_dir);
  }
  if (d.state_dir != kDefaultStateDir) {
    t += fmt::format("# The state dir is {}: run podman with --runtime-flag state-dir={}.\n",
                     d.state_dir, d.state_dir);
  }
  if (d.set_default) t += "\n[engine]\nruntime = " + TomlQuote(d.name) + "\n";
  t += "\n[engine.runtimes]\n" + d.name + " = [" + TomlQuote(d.runtime_path) + "]\n";
  return t;
}

Result<std::string> CrioDropInText(const RuntimeDropIn& d) {
  VERIFIED_RETURN_IF_ERROR(Validate(d));
  std::string t = Header("crio");
  if (d.set_default) t += "\n[crio.runtime]\ndefault_runtime = " + TomlQuote(d.name) + "\n";
  t += "\n[crio.runtime.runtimes." + d.name + "]\n";
  t += "runtime_path = " + TomlQuote(d.runtime_path) + "\n";
  t += "runtime_type = \"oci\"\n";
  t += "runtime_root = " + TomlQuote(d.runtime_root) + "\n";
  if (d.config_dir != kDefaultConfigDir || d.state_dir != kDefaultStateDir) {
    t += "monitor_env = [" + TomlQuote(std::string("PATH=") + kStandardPath);
    if (d.config_dir != kDefaultConfigDir)
      t += ", " + TomlQuote("VERIFIED_CONFIG_DIR=" + d.config_dir);
    if (d.state_dir != kDefaultStateDir) t += ", " + TomlQuote("VERIFIED_STATE_DIR=" + d.state_dir);
    t += "]\n";
  }
  return t;
}

Result<std::string> SaveBackup(const std::string& backup_dir, const std::string& path,
                               const std::string& content) {
  std::time_t t = std::time(nullptr);
  struct tm tm;
  gmtime_r(&t, &tm);
  char stamp[32];
  strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
  std::string flat = path;
  std::replace(flat.begin(), flat.end(), '/', '_');
  VERIFIED_RETURN_IF_ERROR(MakeDirs(backup_dir, 0755));
  std::string base = backup_dir + "/" + flat + "." + stamp;
  std::string name = base;
  for (int n = 1; access(name.c_str(), F_OK) == 0; ++n) name = base + "-" + std::to_string(n);
  VERIFIED_RETURN_IF_ERROR(WriteFileAtomic(name, content, 0644));
  return name;
}

Result<std::string> WriteDropIn(const std::string& path, const std::string& text,
                                const std::string& backup_dir, nlohmann::ordered_json& state) {
  auto existing = ReadFileLimited(path, kMaxDropInBytes);
  if (!existing.ok() && existing.error().kind() != ErrorKind::kNotFound) {
    return std::move(existing).error();
  }
  bool ours = state.is_object() && state.value("drop_in", "") == path;
  nlohmann::ordered_json replaced = ours && state.contains("replaced_backup")
                                        ? state["replaced_backup"]
                                        : nlohmann::ordered_json(nullptr);
  std::string backup;
  if (!existing.ok() || *existing != text) {
    bool our_unchanged =
        ours && existing.ok() && Sha256Digest(*existing) == state.value("sha256", "");
    if (existing.ok() && !our_unchanged) {
      VERIFIED_ASSIGN_OR_RETURN(backup, SaveBackup(backup_dir, path, *existing));
      if (!ours) replaced = backup;  // someone else's file: put back on uninstall
    }
    auto slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0) {
      VERIFIED_RETURN_IF_ERROR(MakeDirs(path.substr(0, slash), 0755));
    }
    VERIFIED_RETURN_IF_ERROR(WriteFileAtomic(path, text, 0644));
  }
  state = nlohmann::ordered_json::object();
  state["drop_in"] = path;
  state["sha256"] = Sha256Digest(text);
  state["replaced_backup"] = replaced;
  return backup;
}

Result<std::vector<std::string>> RemoveDropIn(const nlohmann::ordered_json& state,
                                              const std::string& backup_dir) {
  std::vector<std::string> done;
  if (!state.is_object() || !state.contains("drop_in") || !state["drop_in"].is_string()) {
    return MakeError(ErrorKind::kNotFound, "install-state.json records no drop-in to remove");
  }
  std::string path = state["drop_in"].get<std::string>();
  // Read everything first, so a missing backup changes nothing.
  std::optional<std::string> earlier;
  std::string backup;
  if (state.contains("replaced_backup") && state["replaced_backup"].is_string()) {
    backup = state["replaced_backup"].get<std::string>();
    VERIFIED_ASSIGN_OR_WRAP(earlier, ReadFileLimited(backup, kMaxDropInBytes),
                            "the file {} replaced", path);
  }
  auto existing = ReadFileLimited(path, kMaxDropInBytes);
  if (!existing.ok() && existing.error().kind() != ErrorKind::kNotFound) {
    return std::move(existing).error();
  }
  if (existing.ok() && Sha256Digest(*existing) != state.value("sha256", "")) {
    VERIFIED_ASSIGN_OR_RETURN(std::string kept, SaveBackup(backup_dir, path, *existing));
    done.push_back(fmt::format("{} was edited after install; kept a copy as {}", path, kept));
  }
  if (earlier) {
    VERIFIED_RETURN_IF_ERROR(WriteFileAtomic(path, *earlier, 0644));
    done.push_back(fmt::format("restored the earlier {} from {}", path, backup));
  } else if (existing.ok()) {
    VERIFIED_RETURN_IF_ERROR(RemoveFileDurable(path));
    done.push_back("removed " + path);
  } else {
    done.push_back(path + " was already gone");
  }
  return done;
}

}  // namespace verified::install
