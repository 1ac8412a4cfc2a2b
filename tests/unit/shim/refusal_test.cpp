#include "shim/refusal.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "shim/logging.h"
#include "unit/support/temp_dir.h"

namespace verified::shim {
namespace {

TEST(Refusal, Rfc3339NowIsWhatGoParses) {
  std::regex rfc3339(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z)");
  EXPECT_TRUE(std::regex_match(Rfc3339Now(), rfc3339)) << Rfc3339Now();
}

TEST(Refusal, SanitizesPhrasesTheDockerCliMapsToExitCodes) {
  std::string s = SanitizeForDockerCli(
      "open x: No such file or directory; Permission denied; executable file not found");
  EXPECT_EQ(s.find("o such file"), std::string::npos);
  EXPECT_EQ(s.find("ermission denied"), std::string::npos);
  EXPECT_EQ(s.find("executable file not found"), std::string::npos);
  EXPECT_NE(s.find("does not exist"), std::string::npos);
}

class ReportRefusalTest : public ::testing::Test {
 protected:
  void Report(const std::string& message, logging::LogFormat format) {
    int err = open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    ASSERT_GE(err, 0);
    logging::LogOptions o;
    o.path = log_;
    o.format = format;
    o.stderr_fd = err;
    ReportRefusal(*logging::OpenLogger("verified-runtime", o), message);
    close(err);
  }

  testing::TempDir tmp_;
  std::string log_ = tmp_ / "log.json";
  std::string stderr_path_ = tmp_ / "stderr";
};

TEST_F(ReportRefusalTest, AppendsOneJsonLineAfterRuncsAndPrintsTheMessage) {
  testing::WriteFile(log_, "{\"level\":\"info\",\"msg\":\"runc\",\"time\":\"t\"}\n");
  Report("verified: refused \"x\": open /y: no such file or directory", logging::LogFormat::kJson);
  std::string content = testing::ReadFile(log_);
  EXPECT_EQ(content.rfind("{\"level\":\"info\"", 0), 0u);
  std::string line = content.substr(content.find('\n') + 1);
  // Byte format the engines parse: logrus's key order, one line, RFC 3339 time with nanos.
  std::regex expected(
      R"re(\{"level":"error","msg":"verified: refused \\"x\\": open /y: does not exist",)re"
      R"re("time":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z"\}\n)re");
  EXPECT_TRUE(std::regex_match(line, expected)) << line;
  EXPECT_EQ(testing::ReadFile(stderr_path_), "verified: refused \"x\": open /y: does not exist\n");
}

TEST_F(ReportRefusalTest, TextFormatForOtherLogFormats) {
  Report("verified: refused", logging::ParseLogFormat("text"));
  std::regex expected(
      R"re(time="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z" level=error msg="verified: refused"\n)re");
  std::string content = testing::ReadFile(log_);
  EXPECT_TRUE(std::regex_match(content, expected)) << content;
}

TEST_F(ReportRefusalTest, WithoutALogFileOnlyTheBareMessageOnStderr) {
  log_.clear();
  Report("verified: no", logging::LogFormat::kJson);
  EXPECT_EQ(testing::ReadFile(stderr_path_), "verified: no\n");
}

}  // namespace
}  // namespace verified::shim
