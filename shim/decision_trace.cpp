#include "shim/decision_trace.h"

#include <fmt/format.h>

namespace verified::shim {

std::vector<std::string> DecisionTraceLines(const std::vector<DecisionStep>& steps) {
  std::vector<std::string> lines;
  if (steps.empty()) return lines;
  int64_t total = 0;
  for (const auto& s : steps) {
    lines.push_back(fmt::format("decision step {}: {} ({} us)", s.name, s.detail, s.elapsed_us));
    total += s.elapsed_us;
  }
  lines.push_back(fmt::format("decision total: {} us in {} steps", total, steps.size()));
  return lines;
}

void TraceDecision(spdlog::logger& log, const std::vector<DecisionStep>& steps) {
  if (!log.should_log(spdlog::level::debug)) return;
  for (const auto& line : DecisionTraceLines(steps)) log.debug(line);
}

}  // namespace verified::shim
