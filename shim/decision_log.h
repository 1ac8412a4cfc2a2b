// The decision log: one JSON line per create decision (DESIGN.md "Quality bars").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "verifier/core/result.h"
#include "verifier/policy/decide.h"

namespace verified::shim {

/// The JSON record of a decision: time, command, container, engine, image (as shown),
/// image_id, chain_id, verdict (allow/deny), enforced, mode, rule, reasons (failed findings,
/// or the reason), policy_digest, elapsed_us.
nlohmann::ordered_json DecisionRecord(const Decision& d, const std::string& command,
                                      const std::string& container_id);

/// Appends the record as one line to `path`, creating its directory (0750) when missing.
Status AppendDecision(const std::string& path, const nlohmann::ordered_json& record);

}  // namespace verified::shim
