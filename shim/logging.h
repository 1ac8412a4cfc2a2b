// The runtime's own log lines (and the OCI hook's): an spdlog logger whose sinks write runc's
// --log file in logrus's formats (logrus_format.h) and refusals to stderr.
//
// Where each line goes, as runc does it (runc main.go configLogrus): with --log the lines are
// appended to that file (O_APPEND, one write(2) per line, so they interleave cleanly with runc's
// own appends to the same file); without --log they go to stderr in the log format. The level
// is info, or debug with --debug. Error lines (refusals) are in addition printed to stderr as
// the bare message, because CRI-O/conmon and runc-under-Podman show the runtime's stderr.
//
// Usage (runtime or hook):
//   auto log = verified::logging::OpenLogger(
//       "verified-hook", {.path = path, .format = ParseLogFormat(fmt), .debug = debug});
//   log->debug("decision step {}: {}", name, detail);
//   log->error("verified: refused ...");
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>

#include "shim/logrus_format.h"

namespace verified::logging {

/// Where and how to log, from runc's global flags.
struct LogOptions {
  std::string path;                     ///< --log ("" = stderr, as runc)
  LogFormat format = LogFormat::kText;  ///< --log-format
  bool debug = false;                   ///< --debug: debug-level lines are written too
  /// Error lines also go to stderr as the bare message (followed by '\n').
  bool errors_to_stderr = true;
  int stderr_fd = 2;  ///< the descriptor used as stderr (not closed; tests pass a file)
};

/// A logger (not registered with spdlog's global registry) writing as LogOptions says. The
/// --log file is opened (O_WRONLY|O_APPEND|O_CREAT|O_CLOEXEC, 0644) here and closed when the
/// last copy of the logger goes; a file that cannot be opened drops its lines silently (the
/// caller's exit status still says what happened, and stderr still gets errors). Never throws.
std::shared_ptr<spdlog::logger> OpenLogger(const std::string& name, const LogOptions& options);

}  // namespace verified::logging
