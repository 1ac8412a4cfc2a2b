#include "shim/seal_guard.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <memory>

#include "shim/decision_log.h"
#include "shim/refusal.h"
#include "verifier/decision/ns_join.h"
#include "verifier/decision/runc_state.h"
#include "verifier/fs/dir.h"
#include "verifier/seal/seal_index.h"

namespace verified::shim {
namespace {

std::string CannotParse(const std::string& what) {
  return "verified: refused: cannot parse the runc exec command line with certainty: " + what;
}

}  // namespace

std::string RuncRoot(const RuncGlobals& globals) { return RuncStateRoot(globals.root); }

Status ApplySeal(const Decision& d, const RuncCommandLine& cl, const std::string& seal_dir) {
  std::string root = RuncRoot(cl.globals);
  if (!d.seal) {
    // A stale record would only refuse execs: never a reason to refuse this create.
    (void)RemoveSealRecord(root, cl.container_id);
    return Ok();
  }
  SealRecord seal;
  seal.container_id = cl.container_id;
  seal.image = d.seal->image;
  seal.image_id = d.seal->image_id;
  seal.rule = d.seal->rule;
  seal.mode = ModeName(d.seal->mode);
  seal.sealed_at = Rfc3339Now();
  seal.namespaces = d.seal->namespaces;
  SweepStaleSealRecords(root, kStaleSealSeconds);
  if (d.seal->mode == Mode::kEnforce) {
    // The rootfs is mounted by now (every engine mounts it before calling the runtime) and
    // runc bind-mounts it onto itself, so /proc/<pid>/root of every process the container
    // will run has this identity: a joiner finds the seal from the pid in its ns path.
    VERIFIED_ASSIGN_OR_RETURN(std::string name, RootEntryNameFor(d.rootfs));
    SealEntry e = SealEntryFor(seal, root);
    SweepSealEntries(seal_dir, kStaleSealSeconds, [](const std::string& n, const SealEntry& x) {
      return SealEntryLive(n, x, kStaleSealSeconds);
    });
    VERIFIED_RETURN_IF_ERROR(WriteSealEntry(seal_dir, name, e));
    seal.index_entries.push_back(name);
  }
  return WriteSealRecord(root, seal);
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
  Status logged = settings.ok() ? AppendDecision(settings->decision_log,
                                                 ExecDecisionRecord(s, audit, reason, us))
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
