// How a refusal reaches the person who typed `docker run` (DESIGN.md "How a refusal reaches").
//
// containerd's shim decodes the runtime's --log file as logrus JSON lines and shows the last
// "level":"error" msg; Podman reads its oci-log as one JSON object; CRI-O/conmon read stderr.
// So: exactly one well-formed line appended to --log, the same text on stderr, exit 1.
#pragma once

#include <string>

namespace verified::shim {

/// Current time as RFC 3339 in UTC with nanoseconds ("2026-11-22T05:24:27.123456789Z"),
/// the layout Go's time.RFC3339Nano parses.
std::string Rfc3339Now();

/// The one log line for `message` in runc's --log-format ("json": logrus JSON; anything else:
/// logrus text). Ends with '\n'.
std::string FormatLogLine(const std::string& message, const std::string& log_format);

/// Replaces the phrases the docker CLI maps to exit codes 126/127 ("no such file or
/// directory", "executable file not found", "permission denied"), case-insensitively.
std::string SanitizeForDockerCli(const std::string& message);

/// Appends the line to `log_path` (O_APPEND, as runc itself appends to the same file) when
/// set, prints the message to stderr. Write failures are ignored: the exit status still
/// refuses.
void ReportRefusal(const std::string& message, const std::string& log_path,
                   const std::string& log_format);

}  // namespace verified::shim
