#include "shim/logging.h"

#include <fcntl.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <unistd.h>

#include <mutex>

namespace verified::logging {
namespace {

LogLevel FromSpdlog(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return LogLevel::kDebug;
    case spdlog::level::info:
      return LogLevel::kInfo;
    case spdlog::level::warn:
      return LogLevel::kWarning;
    default:
      return LogLevel::kError;
  }
}

// Formats spdlog's message as one logrus line (the message's own timestamp, so the time is when
// the line was logged).
class LogrusFormatter final : public spdlog::formatter {
 public:
  explicit LogrusFormatter(LogFormat format) : format_(format) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string line = FormatLogrusLine(FromSpdlog(msg.level),
                                        std::string_view(msg.payload.data(), msg.payload.size()),
                                        msg.time, format_);
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<LogrusFormatter>(format_);
  }

 private:
  LogFormat format_;
};

// The bare message and a newline: what a person reads on stderr.
class MessageFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    dest.append(msg.payload.data(), msg.payload.data() + msg.payload.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<MessageFormatter>();
  }
};

// Writes each formatted line with one write(2) on a file descriptor, for lines from `min` up to
// `max` level. One write per line: runc appends to the same --log file (O_APPEND makes each
// write land whole at the end), and a buffered FILE* could split a line.
class FdSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  FdSink(int fd, bool owned, spdlog::level::level_enum max) : fd_(fd), owned_(owned), max_(max) {}
  ~FdSink() override {
    if (owned_ && fd_ >= 0) close(fd_);
  }
  FdSink(const FdSink&) = delete;
  FdSink& operator=(const FdSink&) = delete;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (fd_ < 0 || msg.level > max_) return;
    spdlog::memory_buf_t buf;
    formatter_->format(msg, buf);
    // Best effort: a log that cannot be written must not change the outcome.
    [[maybe_unused]] ssize_t n = write(fd_, buf.data(), buf.size());
  }
  void flush_() override {}

 private:
  int fd_;
  bool owned_;
  spdlog::level::level_enum max_;
};

}  // namespace

std::shared_ptr<spdlog::logger> OpenLogger(const std::string& name, const LogOptions& options) {
  std::vector<spdlog::sink_ptr> sinks;
  std::shared_ptr<FdSink> log_sink;
  if (!options.path.empty()) {
    int fd = open(options.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    log_sink = std::make_shared<FdSink>(fd, true, spdlog::level::off);
  } else {
    // Without --log, runc's logrus writes to stderr; the bare error line below is the one
    // people read there, so the formatted stderr sink stops below error.
    auto below_error = options.errors_to_stderr ? spdlog::level::warn : spdlog::level::off;
    log_sink = std::make_shared<FdSink>(options.stderr_fd, false, below_error);
  }
  log_sink->set_formatter(std::make_unique<LogrusFormatter>(options.format));
  log_sink->set_level(options.debug ? spdlog::level::debug : spdlog::level::info);
  sinks.push_back(log_sink);
  if (options.errors_to_stderr) {
    auto err_sink = std::make_shared<FdSink>(options.stderr_fd, false, spdlog::level::off);
    err_sink->set_formatter(std::make_unique<MessageFormatter>());
    err_sink->set_level(spdlog::level::err);
    sinks.push_back(err_sink);
  }
  auto logger = std::make_shared<spdlog::logger>(name, sinks.begin(), sinks.end());
  logger->set_level(options.debug ? spdlog::level::debug : spdlog::level::info);
  return logger;
}

}  // namespace verified::logging
