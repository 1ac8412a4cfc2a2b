// Sealed images under the hook: the seal needs verified-runtime.
//
// A sealed image's promise is that nothing but its own program runs in it: `exec` into it is
// refused. Only verified-runtime sees `exec` (the hook runs at create, and a runtime calls no
// hook on exec), so a sealed container the wrapper did not create would run with its seal
// unguarded. The wrapper records every enforced seal in the host-wide seal index before runc
// runs (shim/seal_guard.h); when the hooks.d file is installed, runc then runs this hook for
// the same container and finds that entry. Without it, the hook refuses.
#pragma once

#include <string>

#include "verifier/policy/decide.h"

namespace verified::hook {

/// When `d` allows a container whose rule seals it (enforce mode), requires the rootfs entry
/// verified-runtime wrote in `seal_dir` for `container_id` (same root.path identity, same id);
/// otherwise turns the decision into a failed `sealed` requirement naming the fix (run it with
/// verified-runtime). An unreadable or untrusted index entry refuses too. Audit-mode seals and
/// unsealed containers are left as they are.
void RequireWrapperForSeal(Decision& d, const std::string& container_id,
                           const std::string& seal_dir);

}  // namespace verified::hook
