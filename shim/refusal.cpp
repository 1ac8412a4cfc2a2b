#include "shim/refusal.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "shim/logging.h"

namespace verified::shim {

std::string Rfc3339Now() { return logging::Rfc3339Nano(std::chrono::system_clock::now()); }

std::string CreateRefusalMessage(const Decision& d, const std::string& container_id) {
  if (d.verdict.image.empty()) {
    return "verified: refused container " + container_id + ": " + d.verdict.reason;
  }
  return RefusalMessage(d.verdict);
}

std::string SanitizeForDockerCli(const std::string& message) {
  // docker/cli cli/command/container/run.go turns these substrings into exit 127 / 126 and
  // hides our message behind "command not found"-style errors.
  static const std::pair<const char*, const char*> kPhrases[] = {
      {"no such file or directory", "does not exist"},
      {"executable file not found", "executable is missing"},
      {"permission denied", "access refused"},
  };
  std::string out = message;
  for (const auto& [from, to] : kPhrases) {
    std::string f(from);
    while (true) {
      std::string lower = out;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      auto pos = lower.find(f);
      if (pos == std::string::npos) break;
      out.replace(pos, f.size(), to);
    }
  }
  return out;
}

void ReportRefusal(spdlog::logger& log, const std::string& message) {
  log.error(SanitizeForDockerCli(message));
}

}  // namespace verified::shim
