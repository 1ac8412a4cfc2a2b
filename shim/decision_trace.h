// The --debug trace of a create decision: one debug line per step with its time, then the
// total, so an administrator can see why a decision took what it took.
#pragma once

#include <spdlog/logger.h>

#include <string>
#include <vector>

#include "verifier/decision/decision.h"

namespace verified::shim {

/// The trace lines for `steps`: "decision step <name>: <detail> (<N> us)" per step, then
/// "decision total: <N> us in <K> steps" (N the sum of the steps' times). Empty when `steps` is.
std::vector<std::string> DecisionTraceLines(const std::vector<DecisionStep>& steps);

/// Logs DecisionTraceLines(steps) at debug level (written only when the logger's level is
/// debug, i.e. with runc's --debug).
void TraceDecision(spdlog::logger& log, const std::vector<DecisionStep>& steps);

}  // namespace verified::shim
