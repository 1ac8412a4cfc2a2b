#include "shim/runtime.h"

#include <unistd.h>

#include <algorithm>
#include <climits>

#include "shim/decision_log.h"
#include "shim/decision_trace.h"
#include "shim/exec_runc.h"
#include "shim/logging.h"
#include "shim/own_options.h"
#include "shim/refusal.h"
#include "shim/runc_args.h"
#include "shim/sandboxed_decision.h"
#include "shim/seal_guard.h"
#include "shim/seal_lifecycle.h"
#include "verifier/config/config_dir.h"
#include "verifier/core/env.h"

namespace verified::shim {
namespace {

constexpr const char* kDefaultSearchPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// When the global flags themselves cannot be parsed we still want the refusal to reach the
// engine's log file, so look for --log / --log-format the simple way.
RuncGlobals GuessGlobals(const std::vector<std::string>& args) {
  RuncGlobals g;
  for (size_t i = 0; i < args.size(); ++i) {
    for (auto [flag, target] : {std::pair{"log", &g.log}, std::pair{"log-format", &g.log_format}}) {
      for (const std::string prefix : {"--", "-"}) {
        std::string f = prefix + flag;
        if (args[i] == f && i + 1 < args.size()) *target = args[i + 1];
        if (args[i].rfind(f + "=", 0) == 0) *target = args[i].substr(f.size() + 1);
      }
    }
  }
  return g;
}

logging::LogOptions LogOptionsFor(const RuncGlobals& g) {
  logging::LogOptions o;
  o.path = g.log;
  o.format = logging::ParseLogFormat(g.log_format);
  o.debug = g.debug;
  return o;
}

int Refuse(const std::string& message, const RuncGlobals& g) {
  ReportRefusal(*logging::OpenLogger("verified-runtime", LogOptionsFor(g)), message);
  return 1;
}

std::string AbsoluteBundle(const std::string& bundle) {
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) return bundle;
  if (bundle.empty()) return cwd;
  if (bundle.front() == '/') return bundle;
  return std::string(cwd) + "/" + bundle;
}

int Exec(const std::string& runc, const std::vector<std::string>& runc_args, const RuncGlobals& g) {
  Error e = ExecRunc(runc, runc_args);
  return Refuse("verified: " + e.What(), g);
}

// The create path: argv -> request -> decision (sandboxed when VERIFIED_SANDBOX=on; its
// deferred writes made here) -> log -> exec runc (recording the seal the
// decision calls for) or refuse. Nothing here changes the verdict.
int CreatePath(const RuncCommandLine& cl, const OwnOptions& own, const RuntimeSettings& settings,
               const std::string& runc, const std::vector<std::string>& runc_args) {
  CreateDecision created = DecideCreate(CreateRequestFor(cl, own), SandboxEnabled());
  const Decision& d = created.decision;
  if (cl.globals.debug) {
    // runc --debug: the decision's steps and times, at debug level, where runc logs.
    TraceDecision(*logging::OpenLogger("verified-runtime", LogOptionsFor(cl.globals)), d.steps);
  }
  DecisionLogRecord record = CreateDecisionRecord(d, cl.subcommand, cl.container_id);
  record.sandbox = created.sandbox;
  Status logged = AppendDecision(settings.decision_log, record);
  if (!logged.ok()) {
    // Every decision must leave a line; one that cannot is not taken.
    return Refuse("verified: refused container " + cl.container_id +
                      ": cannot write the decision log: " + logged.error().What(),
                  cl.globals);
  }
  if (!d.verdict.Allowed()) return Refuse(CreateRefusalMessage(d, cl.container_id), cl.globals);
  if (Status sealed = ApplySeal(d, cl, own.seal_dir); !sealed.ok()) {
    return Refuse("verified: refused container " + cl.container_id +
                      ": cannot record its seal: " + sealed.error().What(),
                  cl.globals);
  }
  return Exec(runc, runc_args, cl.globals);
}

}  // namespace

CreateRequest CreateRequestFor(const RuncCommandLine& cl, const OwnOptions& own) {
  CreateRequest req;
  req.container_id = cl.container_id;
  req.bundle_dir = AbsoluteBundle(cl.bundle);
  req.config_dir = own.config_dir;
  req.command = cl.subcommand;
  req.runtime_root = cl.globals.root;
  req.seal_dir = own.seal_dir;
  req.state_dir = own.state_dir;
  return req;
}

int RunRuntime(const std::vector<std::string>& args) {
  auto own = ParseOwnOptions(args, EnvOr("VERIFIED_CONFIG_DIR"), EnvOr("VERIFIED_SEAL_DIR"),
                             EnvOr("VERIFIED_STATE_DIR"));
  if (!own.ok()) return Refuse("verified: " + own.error().What(), GuessGlobals(args));
  std::vector<std::string> runc_args(args.begin() + static_cast<long>(own->consumed), args.end());

  auto settings = LoadRuntimeSettings(own->config_dir);
  auto cl = ParseRuncGlobals(runc_args);
  bool create_path =
      cl.ok() ? IsCreatePath(cl->subcommand) && !cl->globals.help : MentionsCreatePath(runc_args);
  RuncGlobals globals = cl.ok() ? cl->globals : GuessGlobals(runc_args);
  if (!settings.ok()) {
    // On every path, passthrough included: runtime.json says which runc is real, and without
    // it `runc` from PATH may be the diverted binary (this one) or one planted there.
    return Refuse(std::string("verified: ") + (create_path ? "refused: " : "") +
                      "cannot use the runtime settings (not falling back to runc from PATH): " +
                      settings.error().What(),
                  globals);
  }
  std::string configured = !own->runc.empty() ? own->runc : settings->runc;
  // Podman's conmon calls `delete` with an empty environment: search the standard path then.
  std::string path_env = EnvOr("PATH", kDefaultSearchPath);
  auto runc = FindRunc(configured, path_env);
  if (!runc.ok()) return Refuse("verified: " + runc.error().What(), globals);
  if (!create_path) {
    if (auto refusal = GuardExec(runc_args, cl, settings)) return Refuse(*refusal, globals);
    if (cl.ok()) {
      if (auto refusal = GuardSealLifecycle(runc_args, *cl, own->seal_dir)) {
        return Refuse(*refusal, globals);
      }
    } else if (std::find(runc_args.begin(), runc_args.end(), "checkpoint") != runc_args.end()) {
      // As for exec: a checkpoint under a grammar we cannot read might be of a sealed one.
      return Refuse(
          "verified: refused: cannot parse the runc checkpoint command line with "
          "certainty: " +
              cl.error().What(),
          globals);
    }
    return Exec(*runc, runc_args, globals);
  }

  if (!cl.ok()) {
    return Refuse("verified: refused: cannot parse the runc command line with certainty: " +
                      cl.error().What(),
                  globals);
  }
  auto full = ParseRuncArgs(runc_args);
  if (!full.ok()) {
    return Refuse("verified: refused: cannot parse the runc command line with certainty: " +
                      full.error().What(),
                  globals);
  }
  if (full->help) return Exec(*runc, runc_args, globals);
  return CreatePath(*full, *own, *settings, *runc, runc_args);
}

}  // namespace verified::shim
