// Sealed containers after create: `start` indexes their namespaces, `delete` drops their
// index entries, `checkpoint` is refused (docs/sealed.md).
//
// These subcommands name the container by a positional argument; rather than reproduce each
// one's flag grammar, every argument after the subcommand that is a valid container id with a
// seal record under runc's root is treated as the container. A flag value that happens to name
// a sealed container only makes the guard stricter (checkpoint refused, start indexing a
// container that runc then does not start), never weaker.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "shim/runc_args.h"

namespace verified::shim {

/// Decides the seal side of a non-create runc line whose globals parsed (`cl`). Returns the
/// refusal message (with the "verified: refused" prefix) or nullopt to go on:
///  - `checkpoint` of a sealed container (enforce mode) is refused: it would dump the sealed
///    process's memory to a directory of the caller's choosing (--image-path);
///  - `start` of a sealed container first writes an ns- entry for each namespace the container
///    created (from runc's state.json init pid) into the seal index `seal_dir`, so joins
///    through bind-mounted namespace files (/run/netns/...) find it too; when that cannot be
///    done the start is refused (fail closed);
///  - `delete` of a sealed container whose init process is gone removes its index entries
///    (best effort: a leftover entry is recognised as stale by SealEntryLive).
/// Costs one failed open per positional argument for unsealed containers.
std::optional<std::string> GuardSealLifecycle(const std::vector<std::string>& runc_args,
                                              const RuncCommandLine& cl,
                                              const std::string& seal_dir);

}  // namespace verified::shim
