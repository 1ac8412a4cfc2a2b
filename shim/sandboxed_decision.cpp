#include "shim/sandboxed_decision.h"

#include <chrono>

#include "shim/decision_wire.h"
#include "verifier/config/state_dir.h"
#include "verifier/core/env.h"
#include "verifier/decision/decide.h"
#include "verifier/decision/state_updates.h"
#include "verifier/signedpolicy/policy_mark.h"

namespace verified::shim {
namespace {

Decision Refused(const std::string& why, int64_t elapsed_us) {
  Decision d;
  d.verdict = VerdictForError(MakeError(ErrorKind::kInternal, "{}", why), Mode::kEnforce, "");
  d.elapsed_us = elapsed_us;
  return d;
}

// Makes the answer's writes in order. A mark that cannot be raised is said where the signed
// policy's status is (as Decide says it unsandboxed); the caches are best effort, as unsandboxed.
void ApplyWrites(Decision& d, const std::vector<DeferredWrite>& writes, const CreateRequest& req) {
  for (const auto& w : writes) {
    Status st = ApplyDeferredWrite(w, req.config_dir, req.state_dir);
    if (st.ok()) continue;
    if (w.path ==
        signedpolicy::MarkPath(req.state_dir.empty() ? kDefaultStateDir : req.state_dir)) {
      d.policy_signature += "; WARNING: could not record the accepted version in " + w.path + ": " +
                            st.error().What();
    }
  }
}

}  // namespace

bool SandboxEnabled() { return EnvOr(kSandboxEnv) == "on"; }

CreateDecision DecideCreate(CreateRequest req, bool sandboxed, const SandboxLimits& limits) {
  if (!sandboxed) return {Decide(req), std::string("off (") + kSandboxEnv + " is not on)"};
  auto start = std::chrono::steady_clock::now();
  SandboxRun run = RunSandboxed(
      [&req]() {
        DeferredWrites writes;
        req.defer_writes = &writes;
        Decision d = Decide(req);
        return SerializeDecisionAnswer(d, writes.Take());
      },
      limits);
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
                     std::chrono::steady_clock::now() - start)
                     .count();
  return DecisionFromRun(run, req, elapsed);
}

CreateDecision DecisionFromRun(const SandboxRun& run, const CreateRequest& req, int64_t elapsed) {
  CreateDecision out;
  out.sandbox = run.confinement.empty() ? "on" : run.confinement;
  if (!run.answer) {
    out.decision = Refused(run.failure, elapsed);
    return out;
  }
  auto answer = ParseDecisionAnswer(*run.answer);
  if (!answer.ok()) {
    out.decision =
        Refused("the sandboxed verifier's answer is malformed: " + answer.error().What(), elapsed);
    return out;
  }
  out.decision = std::move(answer->decision);
  ApplyWrites(out.decision, answer->writes, req);
  return out;
}

}  // namespace verified::shim
