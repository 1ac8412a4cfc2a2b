// Printing an audit: a table for people, JSON for programs (cron, CI).
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ctl/audit_run.h"

namespace verified::ctl {

/// What one enumerator reported.
struct EngineStatus {
  std::string engine;
  std::string where;
  std::string status;  ///< "ok", "absent" or "error"
  std::string error;   ///< when status is "error"
  size_t containers = 0;
};

/// Everything printed.
struct AuditReport {
  AuditMode mode = AuditMode::kPolicy;
  std::string source;  ///< policy digest, or the image list path
  std::vector<EngineStatus> engines;
  std::vector<AuditRow> rows;
  int exit_code = 0;
};

/// The JSON document: mode, source, engines, containers (with verdict, reasons, findings,
/// notes and, when present, layers), summary, exit_code.
nlohmann::ordered_json AuditJson(const AuditReport& report);

/// The table: one line per container (CONTAINER NAME IMAGE IMAGE-ID TOP-CHAIN RUNTIME VERDICT
/// REASONS), each layer under its container when `layers`, then engine problems and a summary.
void PrintAuditTable(std::FILE* out, const AuditReport& report, bool layers);

/// "1.2 MB" style size; "-" for an unknown (-1) size.
std::string HumanSize(int64_t bytes);

}  // namespace verified::ctl
