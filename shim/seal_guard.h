// Sealed containers in the runtime: recording the seal at create, refusing `exec` later.
//
// The seal must be known at exec time without trusting the caller (docker exec, kubectl
// exec, podman exec and ctr task exec all end in `<runtime> exec ... <id>` with nothing that
// says which image the container runs). So the create decision leaves a root-only record in
// runc's own state root (verifier/seal/seal_record.h) and exec reads it back. Namespace joins
// are decided across engines through the host-wide seal index (shim/ns_join_guard.h,
// verifier/seal/seal_index.h); `start`, `delete` and `checkpoint` in shim/seal_lifecycle.h.
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

/// After an allowed create decision and before runc runs: writes the seal record in runc's
/// root (with the namespace types the spec creates) and the rootfs entry of the host-wide seal
/// index in `seal_dir`, when the decision calls for a seal, sweeping stale records first;
/// otherwise removes any stale record of this id. Fails only when a needed seal cannot be
/// written: the create must then be refused.
Status ApplySeal(const Decision& d, const RuncCommandLine& cl, const std::string& bundle_dir,
                 const std::string& seal_dir);

/// Applies shim/ns_join_guard.h to a create decision: an allowed create that joins a
/// namespace a sealed container holds becomes an enforced deny (whatever its own rule and
/// mode say: the seal belongs to the other container), recorded as "the seal of another
/// container"; a sealed container that joins a namespace it may not fails its `sealed`
/// requirement (enforced or audited as its rule says; also when already refused, so that the
/// decision log lists it). Nothing is read for a spec that joins no namespace.
void RefuseJoiningSealed(Decision& d, const RuncCommandLine& cl, const std::string& bundle_dir,
                         const std::string& seal_dir);

/// `restore` of a container that its rule seals fails its `sealed` requirement: runc would
/// take the process's code and memory from --image-path (Podman fills it from a user-supplied
/// archive, `podman container restore --import`), which no policy checked.
void RefuseSealedRestore(Decision& d, const RuncCommandLine& cl);

/// Decides whether `runc_args` may go to runc as far as seals are concerned. Returns the
/// refusal message for an exec into a sealed container (enforce mode), for an exec line that
/// cannot be parsed with certainty, or for a seal record that cannot be trusted; nullopt to
/// go ahead (every other subcommand, unsealed containers, audit mode). Sealed execs are
/// written to `settings`' decision log; in audit mode a log failure refuses.
std::optional<std::string> GuardExec(const std::vector<std::string>& runc_args,
                                     const Result<RuncCommandLine>& globals_parse,
                                     const Result<RuntimeSettings>& settings);

}  // namespace verified::shim
