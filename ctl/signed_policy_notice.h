// What editing commands say on a host that requires a signed policy.
#pragma once

#include "ctl/context.h"

namespace verified::ctl {

/// After an edit of something the signed policy covers (policy rules, registrations, keys,
/// policy keys): when <config-dir>/policy-keys/ holds a key, prints that the runtime refuses
/// every create until the result is signed with `verifiedctl policy sign` (on stderr, so that
/// --json output stays JSON). Prints nothing on a
/// host without policy keys; a policy-keys dir that cannot be read is said too.
void PrintSignNotice(const CtlContext& ctx);

}  // namespace verified::ctl
