// The create decision as the runtime and the hook take it: in the sandbox (shim/sandbox.h) by
// default, its deferred writes made by the parent afterwards.
#pragma once

#include <string>

#include "shim/sandbox.h"
#include "verifier/decision/decision.h"
#include "verifier/decision/request.h"

namespace verified::shim {

/// The environment variable that turns the sandbox on (value "on"). Off by default for now:
/// Landlock's ptrace scoping hides other processes' /proc/<pid>/ns from the confined child, so
/// namespace-join checks (sealed images, CRI pod sandboxes) refuse legitimate joins until
/// they move to the parent (docs/sandbox.md).
inline constexpr const char* kSandboxEnv = "VERIFIED_SANDBOX";

/// A create decision and how it was made.
struct CreateDecision {
  /// What the parent acts on. From the sandbox, Decision::spec and Decision::image are unset.
  Decision decision;
  /// For the decision log: the confinement applied ("no_new_privs, limits, landlock ABI 6,
  /// seccomp"), or "off (VERIFIED_SANDBOX is not on)".
  std::string sandbox;
};

/// The parent's side of a sandboxed decision for `req` once `run` is over: a deny (enforce
/// mode, rule "error", reason naming the failure) unless the run gave an answer that
/// ParseDecisionAnswer accepts; for one that it accepts, the decision it carries after its
/// deferred writes are made (as DecideCreate says). `elapsed_us` is the decision's wall time.
CreateDecision DecisionFromRun(const SandboxRun& run, const CreateRequest& req, int64_t elapsed_us);

/// True when VERIFIED_SANDBOX is "on".
bool SandboxEnabled();

/// Decide(req) (verifier/decision/decide.h). With `sandboxed`, in a child confined by
/// ConfineSelf(limits) that writes nothing (req.defer_writes is set there) and answers with
/// shim/decision_wire.h; the parent then makes the answer's deferred writes
/// (verifier/decision/state_updates.h ApplyDeferredWrite; a failed mark raise is added to
/// Decision::policy_signature as a warning, a failed cache write is a miss next time). A child
/// that crashes, hangs, hits a limit, is killed by seccomp or answers malformed gives a deny
/// in enforce mode whatever the policy's mode (rule "error") whose reason says which, and no
/// write is made. Never fails. Call from a single-threaded process.
CreateDecision DecideCreate(CreateRequest req, bool sandboxed, const SandboxLimits& limits = {});

}  // namespace verified::shim
