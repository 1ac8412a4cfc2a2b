// Sealed containers in the runtime: recording the seal at create, refusing `exec` later.
//
// The seal must be known at exec time without trusting the caller (docker exec, kubectl
// exec, podman exec and ctr task exec all end in `<runtime> exec ... <id>` with nothing that
// says which image the container runs). So the create decision leaves a root-only record in
// runc's own state root (verifier/seal/seal_record.h) and exec reads it back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "shim/runc_args.h"
#include "verifier/config/config_dir.h"
#include "verifier/policy/decide.h"
#include "verifier/seal/seal_record.h"

namespace verified::shim {

/// Seconds after which a seal record whose container directory is gone counts as stale.
inline constexpr long kStaleSealSeconds = 600;

/// runc's state root for these globals: --root, else runc's default ($XDG_RUNTIME_DIR/runc
/// for a non-root user when set, /run/runc otherwise; runc main.go).
std::string RuncRoot(const RuncGlobals& globals);

/// The seal an allowed create decision calls for: set when a `sealed` requirement was
/// evaluated for the container (passed, or failed in audit mode) and the container may run.
std::optional<SealRecord> SealFor(const Decision& d, const std::string& container_id);

/// After an allowed create decision and before runc runs: writes the seal record (with the
/// namespace types the bundle's spec creates) when the decision calls for one, sweeping stale
/// records first; otherwise removes any stale record of this id. Fails only when a needed
/// seal cannot be written: the create must then be refused.
Status ApplySeal(const Decision& d, const RuncCommandLine& cl, const std::string& bundle_dir);

/// Refuses a create whose spec joins a namespace that a sealed container (enforce mode)
/// created itself: `docker run --pid=container:SEALED`, `kubectl debug --target`. A process
/// there could read the sealed container's files through /proc/<pid>/root or trace it.
/// Cheap when no container is sealed (one readdir of runc's root). Returns the reason to
/// refuse (a sentence without the "verified: refused" prefix), or nullopt.
std::optional<std::string> GuardNamespaceJoin(const RuncCommandLine& cl,
                                              const std::string& bundle_dir);

/// Turns an allowed create decision into an enforced deny when GuardNamespaceJoin refuses it
/// (whatever this container's own rule and mode say: the seal belongs to the other
/// container), so the decision log records what happened.
void RefuseJoiningSealed(Decision& d, const RuncCommandLine& cl, const std::string& bundle_dir);

/// Decides whether `runc_args` may go to runc as far as seals are concerned. Returns the
/// refusal message for an exec into a sealed container (enforce mode), for an exec line that
/// cannot be parsed with certainty, or for a seal record that cannot be trusted; nullopt to
/// go ahead (every other subcommand, unsealed containers, audit mode). Sealed execs are
/// written to `settings`' decision log; in audit mode a log failure refuses.
std::optional<std::string> GuardExec(const std::vector<std::string>& runc_args,
                                     const Result<RuncCommandLine>& globals_parse,
                                     const Result<RuntimeSettings>& settings);

}  // namespace verified::shim
