#include "shim/seal_guard.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <memory>

#include "shim/decision_log.h"
#include "shim/ns_join_guard.h"
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

// True when a `sealed` requirement was evaluated for the container (passed or failed).
bool SealEvaluated(const Verdict& v) {
  return std::any_of(v.findings.begin(), v.findings.end(), [](const Finding& f) {
    return f.requirement == kSealedRequirement && f.outcome != Outcome::kNotEvaluated;
  });
}

// Rule 1 of ns_join_guard.h: the seal belongs to another container, so this container's own
// rule and mode do not matter.
void DenyForOthersSeal(Decision& d, const std::string& reason) {
  d.verdict.decision = Action::kDeny;
  d.verdict.mode = Mode::kEnforce;
  d.verdict.rule = "the seal of another container";
  d.verdict.reason = reason;
  d.verdict.findings.push_back(Fail("sealed (another container)", reason));
}

// The container's own `sealed` requirement fails: enforced or audited as its rule says.
void FailOwnSeal(Decision& d, const std::string& message) {
  if (d.verdict.decision == Action::kAllow) {
    d.verdict.decision = Action::kDeny;
    d.verdict.reason = d.verdict.rule + " requires " + kSealedRequirement + ": " + message;
  }
  d.verdict.findings.push_back(Fail(kSealedRequirement, message));
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
  if (!v.Allowed() || !SealEvaluated(v)) return std::nullopt;
  SealRecord r;
  r.container_id = container_id;
  r.image = v.image;
  r.image_id = v.image_id;
  r.rule = v.rule;
  r.mode = ModeName(v.mode);
  r.sealed_at = Rfc3339Now();
  return r;
}

Status ApplySeal(const Decision& d, const RuncCommandLine& cl, const std::string& bundle_dir,
                 const std::string& seal_dir) {
  std::string root = RuncRoot(cl.globals);
  auto seal = SealFor(d, cl.container_id);
  if (!seal) {
    // A stale record would only refuse execs: never a reason to refuse this create.
    (void)RemoveSealRecord(root, cl.container_id);
    return Ok();
  }
  std::shared_ptr<const Spec> spec = d.spec;
  if (!spec) {
    VERIFIED_ASSIGN_OR_RETURN(Spec loaded, LoadSpec(bundle_dir));
    spec = std::make_shared<const Spec>(std::move(loaded));
  }
  seal->namespaces = CreatedNamespaces(*spec);
  SweepStaleSealRecords(root, kStaleSealSeconds);
  if (seal->mode == "enforce") {
    // The rootfs is mounted by now (every engine mounts it before calling the runtime) and
    // runc bind-mounts it onto itself, so /proc/<pid>/root of every process the container
    // will run has this identity: a joiner finds the seal from the pid in its ns path.
    struct stat st;
    if (d.rootfs.empty() || stat(d.rootfs.c_str(), &st) != 0) {
      return MakeError(ErrorKind::kNotFound, "cannot stat the container's root '{}'", d.rootfs);
    }
    SealEntry e = SealEntryFor(*seal, root);
    std::string name =
        RootEntryName(FileKey{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)});
    SweepSealEntries(seal_dir, kStaleSealSeconds, [](const std::string& n, const SealEntry& x) {
      return SealEntryLive(n, x, kStaleSealSeconds);
    });
    VERIFIED_RETURN_IF_ERROR(WriteSealEntry(seal_dir, name, e));
    seal->index_entries.push_back(name);
  }
  return WriteSealRecord(root, *seal);
}

void RefuseJoiningSealed(Decision& d, const RuncCommandLine& cl, const std::string& bundle_dir,
                         const std::string& seal_dir) {
  std::shared_ptr<const Spec> spec = d.spec;
  if (!spec) {
    if (!d.verdict.Allowed()) return;
    // Allowed without a spec (an audit-mode error): rule 1 is enforced all the same.
    auto loaded = LoadSpec(bundle_dir);
    if (!loaded.ok()) {
      DenyForOthersSeal(
          d, "cannot read the spec to check its namespace joins: " + loaded.error().What());
      return;
    }
    spec = std::make_shared<const Spec>(std::move(loaded).value());
  }
  auto joins = JoinedNamespaces(*spec);
  if (joins.empty()) return;
  if (d.verdict.Allowed()) {
    if (auto reason = JoinsSealedNamespace(joins, seal_dir)) {
      DenyForOthersSeal(d, *reason);
      return;
    }
  }
  // Rule 2 is judged even when the create is already refused, so that the decision log lists
  // every reason.
  if (!SealEvaluated(d.verdict)) return;
  if (auto reason = SealedJoinRefusal(*spec, joins, RuncRoot(cl.globals))) {
    FailOwnSeal(d, *reason);
  }
}

void RefuseSealedRestore(Decision& d, const RuncCommandLine& cl) {
  if (cl.subcommand != "restore" || !SealEvaluated(d.verdict)) return;
  FailOwnSeal(d,
              "sealed image: it cannot be restored from a checkpoint: restore takes the "
              "process's code and memory from --image-path, which no policy checked");
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
