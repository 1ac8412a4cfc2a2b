#include "shim/refusal.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "unit/support/temp_dir.h"

namespace verified::shim {
namespace {

TEST(Refusal, JsonLineIsWhatContainerdsShimDecodes) {
  std::string line = FormatLogLine("verified: refused \"x\"\n", "json");
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // exactly one line
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["level"], "error");
  EXPECT_EQ(j["msg"], "verified: refused \"x\"\n");
  // RFC 3339 (Go's time.RFC3339Nano accepts fractional seconds and Z).
  std::regex rfc3339(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z)");
  EXPECT_TRUE(std::regex_match(j["time"].get<std::string>(), rfc3339)) << j["time"];
  EXPECT_EQ(line.rfind("{\"level\":\"error\",\"msg\":", 0), 0u);
}

TEST(Refusal, InvalidUtf8StillGivesValidJson) {
  std::string line = FormatLogLine(std::string("bad \xff\xfe bytes"), "json");
  nlohmann::json parsed;  // assigned: GCC ignores a (void) cast of a [[nodiscard]] result
  EXPECT_NO_THROW(parsed = nlohmann::json::parse(line));
  EXPECT_TRUE(parsed.is_object());
}

TEST(Refusal, TextFormatForOtherLogFormats) {
  std::string line = FormatLogLine("m", "text");
  EXPECT_NE(line.find("level=error msg=\"m\""), std::string::npos);
}

TEST(Refusal, SanitizesPhrasesTheDockerCliMapsToExitCodes) {
  std::string s = SanitizeForDockerCli(
      "open x: No such file or directory; Permission denied; executable file not found");
  EXPECT_EQ(s.find("o such file"), std::string::npos);
  EXPECT_EQ(s.find("ermission denied"), std::string::npos);
  EXPECT_EQ(s.find("executable file not found"), std::string::npos);
  EXPECT_NE(s.find("does not exist"), std::string::npos);
}

TEST(Refusal, AppendsToTheLogFile) {
  testing::TempDir tmp;
  std::string log = tmp / "log.json";
  testing::WriteFile(log, "{\"level\":\"info\",\"msg\":\"runc\",\"time\":\"t\"}\n");
  ReportRefusal("verified: no", log, "json");
  std::string content = testing::ReadFile(log);
  EXPECT_EQ(content.rfind("{\"level\":\"info\"", 0), 0u);
  EXPECT_NE(content.find("\"msg\":\"verified: no\""), std::string::npos);
}

}  // namespace
}  // namespace verified::shim
