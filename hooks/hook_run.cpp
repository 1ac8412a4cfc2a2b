#include "hooks/hook_run.h"

#include <algorithm>
#include <chrono>

#include "hooks/hook_decide.h"
#include "hooks/hook_state.h"
#include "shim/decision_log.h"
#include "shim/decision_trace.h"
#include "shim/logrus_format.h"
#include "shim/own_options.h"
#include "shim/refusal.h"
#include "verifier/config/config_dir.h"
#include "verifier/fs/dir.h"

namespace verified::hook {
namespace {

int Refuse(std::ostream& err, const std::string& message) {
  err << message << "\n";
  err.flush();
  return 1;
}

// The hook takes the runtime's own options so that one hooks.d line can name the same config
// and seal dirs as the runtime's; --runc means nothing here and anything else is a typo that
// must not silently fall back to the default config dir.
Result<HookSettings> ParseHookArgs(std::vector<std::string> args, const HookEnv& env) {
  // --debug (anywhere: hooks.d lines are written by hand): the decision's steps with their
  // times on stderr, where runc and Podman show a hook's output.
  auto debug_flags = std::remove(args.begin(), args.end(), std::string("--debug"));
  bool debug = debug_flags != args.end();
  args.erase(debug_flags, args.end());
  VERIFIED_ASSIGN_OR_RETURN(
      shim::OwnOptions own,
      shim::ParseOwnOptions(args, env.config_dir, env.seal_dir, env.state_dir));
  if (!own.runc.empty()) {
    return MakeError(ErrorKind::kInvalidArgument, "--runc does not apply to the hook");
  }
  if (own.consumed != args.size()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "unexpected argument \"{}\" (usage: verified-hook [--debug] [--config-dir "
                     "DIR] [--seal-dir DIR] [--state-dir DIR], the OCI state on stdin)",
                     args[own.consumed]);
  }
  return HookSettings{own.config_dir, own.seal_dir, debug, own.state_dir};
}

}  // namespace

int RunHook(const std::vector<std::string>& args, const HookEnv& env, int state_fd,
            std::ostream& err) {
  auto settings = ParseHookArgs(args, env);
  if (!settings.ok()) return Refuse(err, "verified: refused: " + settings.error().What());
  // The runtime writes the state and closes the pipe; more than the limit is refused unread.
  auto text = ReadFdLimited(state_fd, kMaxHookStateBytes, "OCI hook state on stdin");
  if (!text.ok()) return Refuse(err, "verified: refused: " + text.error().What());
  auto state = ParseHookState(*text);
  if (!state.ok()) return Refuse(err, "verified: refused: " + state.error().What());
  auto runtime = LoadRuntimeSettings(settings->config_dir);
  if (!runtime.ok()) {
    return Refuse(err, "verified: refused container " + state->id +
                           ": cannot use the runtime settings: " + runtime.error().What());
  }
  shim::CreateDecision created = DecideForHook(*state, *settings, shim::SandboxEnabled());
  const Decision& d = created.decision;
  if (settings->debug) {
    // logrus text lines, as the runtime writes its --debug trace (shim/decision_trace.h).
    for (const auto& line : shim::DecisionTraceLines(d.steps)) {
      err << logging::FormatLogrusLine(logging::LogLevel::kDebug, line,
                                       std::chrono::system_clock::now(), logging::LogFormat::kText);
    }
  }
  shim::DecisionLogRecord record = shim::CreateDecisionRecord(d, kHookCommand, state->id);
  record.sandbox = created.sandbox;
  Status logged = shim::AppendDecision(runtime->decision_log, record);
  if (!logged.ok()) {
    // As in the runtime: a decision that leaves no line is not taken.
    return Refuse(err, "verified: refused container " + state->id +
                           ": cannot write the decision log: " + logged.error().What());
  }
  if (d.verdict.Allowed()) return 0;
  return Refuse(err, shim::CreateRefusalMessage(d, state->id));
}

}  // namespace verified::hook
