#include "shim/seal_guard.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "shim/decision_log.h"
#include "shim/refusal.h"
#include "verifier/bundle/spec.h"
#include "verifier/checks/sealed.h"
#include "verifier/core/json.h"
#include "verifier/fs/dir.h"

namespace verified::shim {
namespace {

nlohmann::ordered_json ExecRecord(const SealRecord& seal, bool allowed, const std::string& reason,
                                  int64_t elapsed_us) {
  nlohmann::ordered_json j;
  j["time"] = Rfc3339Now();
  j["command"] = "exec";
  j["container"] = seal.container_id;
  j["image"] = seal.image;
  j["image_id"] = seal.image_id;
  j["verdict"] = "deny";
  j["enforced"] = seal.mode == "enforce";
  j["allowed"] = allowed;
  j["mode"] = seal.mode;
  j["rule"] = seal.rule;
  j["reasons"] = nlohmann::ordered_json::array({reason});
  j["elapsed_us"] = elapsed_us;
  return j;
}

// (type, path) of each linux.namespaces entry of a spec.
std::vector<std::pair<std::string, std::string>> SpecNamespaces(const Spec& spec) {
  std::vector<std::pair<std::string, std::string>> out;
  const nlohmann::json* ns = JsonAt(spec.raw, {"linux", "namespaces"});
  if (ns == nullptr || !ns->is_array()) return out;
  for (const auto& n : *ns) out.emplace_back(JsonString(n, {"type"}), JsonString(n, {"path"}));
  return out;
}

std::string NamespaceFile(const std::string& type) {
  if (type == "network") return "net";
  if (type == "mount") return "mnt";
  return type;
}

// The init pid runc recorded for a container (<root>/<id>/state.json), if it runs.
std::optional<long> InitPid(const std::string& root, const std::string& id) {
  auto dir = Dir::Open(root);
  if (!dir.ok()) return std::nullopt;
  auto text = dir->ReadFile(id + "/state.json", kMaxSpecBytes);
  if (!text.ok()) return std::nullopt;
  auto j = ParseJson(*text, "runc state.json");
  if (!j.ok()) return std::nullopt;
  int64_t pid = JsonInt(*j, {"init_process_pid"}, 0);
  if (pid <= 0) return std::nullopt;
  return pid;
}

std::string CannotParse(const std::string& what) {
  return "verified: refused: cannot parse the runc exec command line with certainty: " + what;
}

}  // namespace

std::string RuncRoot(const RuncGlobals& globals) {
  if (!globals.root.empty()) return globals.root;
  const char* xdg = getenv("XDG_RUNTIME_DIR");
  if (geteuid() != 0 && xdg != nullptr && *xdg != '\0') return std::string(xdg) + "/runc";
  return "/run/runc";
}

std::optional<SealRecord> SealFor(const Decision& d, const std::string& container_id) {
  const Verdict& v = d.verdict;
  if (!v.Allowed()) return std::nullopt;
  bool sealed = std::any_of(v.findings.begin(), v.findings.end(), [](const Finding& f) {
    return f.requirement == kSealedRequirement && f.outcome != Outcome::kNotEvaluated;
  });
  if (!sealed) return std::nullopt;
  SealRecord r;
  r.container_id = container_id;
  r.image = v.image;
  r.image_id = v.image_id;
  r.rule = v.rule;
  r.mode = ModeName(v.mode);
  r.sealed_at = Rfc3339Now();
  return r;
}

Status ApplySeal(const Decision& d, const RuncCommandLine& cl, const std::string& bundle_dir) {
  std::string root = RuncRoot(cl.globals);
  auto seal = SealFor(d, cl.container_id);
  if (!seal) {
    // A stale record would only refuse execs: never a reason to refuse this create.
    (void)RemoveSealRecord(root, cl.container_id);
    return Ok();
  }
  VERIFIED_ASSIGN_OR_RETURN(Spec spec, LoadSpec(bundle_dir));
  for (const auto& [type, path] : SpecNamespaces(spec)) {
    if (path.empty()) seal->namespaces.push_back(type);
  }
  SweepStaleSealRecords(root, kStaleSealSeconds);
  return WriteSealRecord(root, *seal);
}

std::optional<std::string> GuardNamespaceJoin(const RuncCommandLine& cl,
                                              const std::string& bundle_dir) {
  std::string root = RuncRoot(cl.globals);
  auto sealed = SealedContainerIds(root);
  sealed.erase(std::remove(sealed.begin(), sealed.end(), cl.container_id), sealed.end());
  if (sealed.empty()) return std::nullopt;
  auto spec = LoadSpec(bundle_dir);
  if (!spec.ok()) return spec.error().What();
  for (const auto& [type, path] : SpecNamespaces(*spec)) {
    if (path.empty()) continue;
    struct stat joined;
    if (stat(path.c_str(), &joined) != 0) continue;  // runc itself will fail on it
    for (const auto& id : sealed) {
      auto rec = ReadSealRecord(root, id);
      if (!rec.ok() || !rec->has_value() || (*rec)->mode != "enforce") continue;
      const auto& own = (*rec)->namespaces;
      if (std::find(own.begin(), own.end(), type) == own.end()) continue;
      auto pid = InitPid(root, id);
      if (!pid) continue;
      struct stat theirs;
      std::string ns = "/proc/" + std::to_string(*pid) + "/ns/" + NamespaceFile(type);
      if (stat(ns.c_str(), &theirs) != 0) continue;
      if (theirs.st_dev == joined.st_dev && theirs.st_ino == joined.st_ino) {
        return "it joins the " + type + " namespace of container " + id +
               ", which runs sealed image " + (*rec)->image +
               ": a sealed container cannot be entered";
      }
    }
  }
  return std::nullopt;
}

void RefuseJoiningSealed(Decision& d, const RuncCommandLine& cl, const std::string& bundle_dir) {
  if (!d.verdict.Allowed()) return;
  auto joins = GuardNamespaceJoin(cl, bundle_dir);
  if (!joins) return;
  d.verdict.decision = Action::kDeny;
  d.verdict.mode = Mode::kEnforce;
  d.verdict.rule = "the seal of another container";
  d.verdict.reason = *joins;
  d.verdict.findings.push_back(Fail("sealed (another container)", *joins));
}

std::optional<std::string> GuardExec(const std::vector<std::string>& runc_args,
                                     const Result<RuncCommandLine>& globals_parse,
                                     const Result<RuntimeSettings>& settings) {
  auto start = std::chrono::steady_clock::now();
  if (!globals_parse.ok()) {
    // Unparseable globals: this might be an exec under a grammar we do not know.
    if (std::find(runc_args.begin(), runc_args.end(), "exec") == runc_args.end())
      return std::nullopt;
    return CannotParse(globals_parse.error().What());
  }
  if (globals_parse->subcommand != "exec" || globals_parse->globals.help) return std::nullopt;
  auto cl = ParseRuncArgs(runc_args);
  if (!cl.ok()) return CannotParse(cl.error().What());
  if (cl->help) return std::nullopt;
  std::string root = RuncRoot(cl->globals);
  auto seal = ReadSealRecord(root, cl->container_id);
  if (!seal.ok()) {
    return "verified: refused exec into container " + cl->container_id +
           ": its seal record cannot be trusted: " + seal.error().What();
  }
  if (!seal->has_value()) return std::nullopt;
  const SealRecord& s = **seal;
  std::string image = s.image.empty() ? s.image_id : s.image;
  if (!s.image_id.empty() && s.image_id != image) image += " (" + s.image_id + ")";
  std::string reason = "it runs sealed image " + image + ", sealed by " + s.rule +
                       ": a sealed container cannot be entered";
  bool audit = s.mode == "audit";
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  Status logged = settings.ok()
                      ? AppendDecision(settings->decision_log, ExecRecord(s, audit, reason, us))
                      : Status(settings.error());
  std::string message = "verified: refused exec into container " + cl->container_id + ": " + reason;
  if (!audit) return message;
  if (!logged.ok()) {
    return "verified: refused exec into container " + cl->container_id +
           ": cannot write the decision log: " + logged.error().What();
  }
  return std::nullopt;
}

}  // namespace verified::shim
