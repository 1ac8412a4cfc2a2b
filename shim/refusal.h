// How a refusal reaches the person who typed `docker run` (DESIGN.md "How a refusal reaches").
//
// containerd's shim decodes the runtime's --log file as logrus JSON lines and shows the last
// "level":"error" msg; Podman reads its oci-log as one JSON object; CRI-O/conmon read stderr.
// So: exactly one well-formed line appended to --log, the same text on stderr, exit 1.
#pragma once

#include <spdlog/logger.h>

#include <string>

#include "verifier/decision/decision.h"

namespace verified::shim {

/// Current time as RFC 3339 in UTC with nanoseconds ("2026-11-22T05:24:27.123456789Z"), the
/// time format of the log lines (logging::Rfc3339Nano) and of the decision log.
std::string Rfc3339Now();

/// Replaces the phrases the docker CLI maps to exit codes 126/127 ("no such file or
/// directory", "executable file not found", "permission denied"), case-insensitively.
std::string SanitizeForDockerCli(const std::string& message);

/// The message for a refused create decision of `container_id`: the verdict's refusal
/// (verifier/policy/evaluate.h RefusalMessage) when an image was named, else "verified: refused
/// container <id>: <reason>". Shared by the runtime and the hook so both say the same.
std::string CreateRefusalMessage(const Decision& d, const std::string& container_id);

/// Logs the sanitized message at error level to `log`: one line in the --log file (logging.h:
/// logrus's json or text format, O_APPEND) and the bare message on stderr. Write failures are
/// ignored: the exit status still refuses.
void ReportRefusal(spdlog::logger& log, const std::string& message);

}  // namespace verified::shim
