// The sandboxed decision's answer (shim/sandbox.h): the part of a Decision the parent acts on,
// and the writes the decision deferred (verifier/fs/deferred_writes.h), as one JSON object.
//
// The parent parses it as untrusted input (a compromised child writes what it likes): a size
// limit, exactly the members below with their types, enums in range, bounded counts. A
// well-formed answer is still only as trusted as the child; what makes it safe to act on is
// that the parent writes only the files a create decision writes (state_updates.h) and that
// whatever the answer says, the container is refused unless it says allow.
//
//   {"verdict": {"decision": 0|1, "mode": 0|1, "image", "image_id", "rule", "kind": 0..6,
//                "rule_index", "reason", "findings": [{"requirement", "outcome": 0..2,
//                "message", "expected", "actual"}]},
//    "engine", "top_chain_id", "policy_digest", "policy_signature", "elapsed_us", "rootfs",
//    "seal": null | {"container_id", "image", "image_id", "rule", "mode", "namespaces": [..]},
//    "steps": [{"name", "elapsed_us", "detail"}], "notes": [..],
//    "writes": [{"path", "content": base64}]}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/decision/decision.h"
#include "verifier/fs/deferred_writes.h"

namespace verified::shim {

/// Largest answer parsed (the sandbox's SandboxLimits::max_answer_bytes default): content
/// cache manifests of large layers and the statement cache of a big signed policy travel in it.
inline constexpr size_t kMaxAnswerBytes = size_t{64} << 20;

/// A parsed answer. Decision::spec and Decision::image are never set (the parent needs
/// neither: it logs, seals from Decision::seal and Decision::rootfs, and execs).
struct DecisionAnswer {
  Decision decision;
  std::vector<DeferredWrite> writes;
};

/// The answer for `d` and its deferred `writes`. Invalid UTF-8 in any text is replaced.
std::string SerializeDecisionAnswer(const Decision& d, const std::vector<DeferredWrite>& writes);

/// Parses an answer strictly: kTooLarge beyond kMaxAnswerBytes; kParse for anything but one
/// object with exactly the members above (no more, no fewer, each of its type), an enum out of
/// range, a negative time, more than 64 steps, 4096 findings, notes or namespaces, or 65536
/// writes, or write content that is not canonical base64.
Result<DecisionAnswer> ParseDecisionAnswer(std::string_view text);

}  // namespace verified::shim
