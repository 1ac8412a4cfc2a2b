// Sealed containers in the runtime: recording the seal at create, refusing `exec` later.
//
// The seal must be known at exec time without trusting the caller (docker exec, kubectl
// exec, podman exec and ctr task exec all end in `<runtime> exec ... <id>` with nothing that
// says which image the container runs). So the create decision leaves a root-only record in
// runc's own state root (verifier/seal/seal_record.h) and exec reads it back. Namespace joins
// are decided with the create decision through the host-wide seal index
// (verifier/decision/ns_join.h, verifier/seal/seal_index.h); `start`, `delete` and `checkpoint` in
// shim/seal_lifecycle.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "shim/runc_args.h"
#include "verifier/config/config_dir.h"
#include "verifier/decision/decision.h"
#include "verifier/seal/seal_record.h"

namespace verified::shim {

/// Seconds after which a seal record whose container directory is gone counts as stale.
inline constexpr long kStaleSealSeconds = 600;

/// runc's state root for these globals: --root, else runc's default (RuncStateRoot).
std::string RuncRoot(const RuncGlobals& globals);

/// After an allowed create decision and before runc runs: when the decision calls for a seal
/// (Decision::seal), writes the seal record in runc's root and, in enforce mode, the rootfs
/// entry of the host-wide seal index in `seal_dir`, sweeping stale records first; otherwise
/// removes any stale record of this id. Fails only when a needed seal cannot be written: the
/// create must then be refused. Never changes the verdict (verifier/decision/decide.h made it).
Status ApplySeal(const Decision& d, const RuncCommandLine& cl, const std::string& seal_dir);

/// Decides whether `runc_args` may go to runc as far as seals are concerned. Returns the
/// refusal message for an exec into a sealed container (enforce mode), for an exec line that
/// cannot be parsed with certainty, or for a seal record that cannot be trusted; nullopt to
/// go ahead (every other subcommand, unsealed containers, audit mode). Sealed execs are
/// written to `settings`' decision log; in audit mode a log failure refuses.
std::optional<std::string> GuardExec(const std::vector<std::string>& runc_args,
                                     const Result<RuncCommandLine>& globals_parse,
                                     const Result<RuntimeSettings>& settings);

}  // namespace verified::shim
