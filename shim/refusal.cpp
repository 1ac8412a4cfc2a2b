#include "shim/refusal.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

namespace verified::shim {

std::string Rfc3339Now() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(now);
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(now - secs).count();
  std::time_t t = std::chrono::system_clock::to_time_t(secs);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:09d}Z", buf, nanos);
}

std::string FormatLogLine(const std::string& message, const std::string& log_format) {
  if (log_format == "json") {
    // Key order as logrus writes it; dump() escapes control characters and invalid UTF-8 is
    // replaced, so the shim's decoder always gets one valid object.
    nlohmann::ordered_json j;
    j["level"] = "error";
    j["msg"] = message;
    j["time"] = Rfc3339Now();
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  std::string quoted =
      nlohmann::json(message).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return "time=\"" + Rfc3339Now() + "\" level=error msg=" + quoted + "\n";
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

void ReportRefusal(const std::string& message, const std::string& log_path,
                   const std::string& log_format) {
  std::string msg = SanitizeForDockerCli(message);
  if (!log_path.empty()) {
    int fd = open(log_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
      std::string line = FormatLogLine(msg, log_format);
      // One write() so the line is never interleaved with runc's own appends.
      [[maybe_unused]] ssize_t n = write(fd, line.data(), line.size());
      close(fd);
    }
  }
  std::string err = msg + "\n";
  [[maybe_unused]] ssize_t n = write(STDERR_FILENO, err.data(), err.size());
}

}  // namespace verified::shim
