#include "shim/logging.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "unit/support/temp_dir.h"

namespace verified::logging {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

class LoggingTest : public ::testing::Test {
 protected:
  // Logs one debug, one info and one error line through a fresh logger.
  void LogThree(LogOptions o) {
    int err = open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    ASSERT_GE(err, 0);
    o.stderr_fd = err;
    auto log = OpenLogger("verified-test", o);
    log->debug("step {}", 1);
    std::string braces = "{braces} kept";  // a runtime string is logged as is, never formatted
    log->info(braces);
    log->error("verified: refused");
    close(err);
  }

  testing::TempDir tmp_;
  std::string log_ = tmp_ / "log.json";
  std::string stderr_path_ = tmp_ / "stderr";
};

TEST_F(LoggingTest, JsonFileGetsInfoAndErrorStderrTheErrorMessage) {
  LogThree({.path = log_, .format = LogFormat::kJson});
  auto lines = Lines(testing::ReadFile(log_));
  ASSERT_EQ(lines.size(), 2u) << testing::ReadFile(log_);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["msg"], "{braces} kept");
  EXPECT_EQ(nlohmann::json::parse(lines[1])["level"], "error");
  EXPECT_EQ(testing::ReadFile(stderr_path_), "verified: refused\n");
}

TEST_F(LoggingTest, DebugAddsDebugLinesToTheFileOnly) {
  LogThree({.path = log_, .format = LogFormat::kText, .debug = true});
  auto lines = Lines(testing::ReadFile(log_));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0].find(" level=debug msg=\"step 1\""), std::string::npos) << lines[0];
  EXPECT_EQ(lines[0].rfind("time=\"", 0), 0u);
  EXPECT_EQ(testing::ReadFile(stderr_path_), "verified: refused\n");
}

TEST_F(LoggingTest, AppendsToWhatIsThere) {
  testing::WriteFile(log_, "runc's line\n");
  LogThree({.path = log_, .format = LogFormat::kJson});
  EXPECT_EQ(testing::ReadFile(log_).rfind("runc's line\n{", 0), 0u);
}

TEST_F(LoggingTest, WithoutLogFileLinesGoToStderrAsRuncDoes) {
  LogThree({.path = "", .format = LogFormat::kJson, .debug = true});
  auto lines = Lines(testing::ReadFile(stderr_path_));
  ASSERT_EQ(lines.size(), 3u) << testing::ReadFile(stderr_path_);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["level"], "debug");
  EXPECT_EQ(nlohmann::json::parse(lines[1])["level"], "info");
  EXPECT_EQ(lines[2], "verified: refused");  // the error once, bare
}

TEST_F(LoggingTest, ErrorsToStderrOff) {
  LogThree({.path = log_, .format = LogFormat::kJson, .errors_to_stderr = false});
  EXPECT_EQ(Lines(testing::ReadFile(log_)).size(), 2u);
  EXPECT_EQ(testing::ReadFile(stderr_path_), "");
}

TEST_F(LoggingTest, UnopenableLogFileDropsItsLinesButNotStderr) {
  LogThree({.path = tmp_ / "missing-dir/log", .format = LogFormat::kJson});
  EXPECT_EQ(testing::ReadFile(stderr_path_), "verified: refused\n");
}

}  // namespace
}  // namespace verified::logging
