// Expected strings are what Go 1.22's encoding/json (logrus JSONFormatter) and strconv.Quote
// (logrus TextFormatter's %q) produce for the same input.
#include "shim/logrus_format.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace verified::logging {
namespace {

using std::chrono::system_clock;

// 2026-11-22T05:24:27.000012345Z
system_clock::time_point FixedTime() {
  return system_clock::time_point(std::chrono::seconds(1795325067)) +
         std::chrono::duration_cast<system_clock::duration>(std::chrono::nanoseconds(12345));
}

TEST(LogrusFormat, Rfc3339NanoIsUtcWithNineDigits) {
  EXPECT_EQ(Rfc3339Nano(FixedTime()), "2026-11-22T05:24:27.000012345Z");
  EXPECT_EQ(Rfc3339Nano(system_clock::time_point(std::chrono::seconds(0))),
            "1970-01-01T00:00:00.000000000Z");
}

TEST(LogrusFormat, JsonLineHasLogrusKeyOrder) {
  EXPECT_EQ(FormatLogrusLine(LogLevel::kError, "verified: refused", FixedTime(), LogFormat::kJson),
            "{\"level\":\"error\",\"msg\":\"verified: refused\","
            "\"time\":\"2026-11-22T05:24:27.000012345Z\"}\n");
  EXPECT_EQ(FormatLogrusLine(LogLevel::kDebug, "d", FixedTime(), LogFormat::kJson),
            "{\"level\":\"debug\",\"msg\":\"d\",\"time\":\"2026-11-22T05:24:27.000012345Z\"}\n");
}

TEST(LogrusFormat, TextLineQuotesAsLogrusDoes) {
  EXPECT_EQ(FormatLogrusLine(LogLevel::kError, "verified: refused", FixedTime(), LogFormat::kText),
            "time=\"2026-11-22T05:24:27.000012345Z\" level=error msg=\"verified: refused\"\n");
  // needsQuoting: a value of only [A-Za-z0-9-._/@^+] stays bare, as does an empty one.
  EXPECT_EQ(FormatLogrusLine(LogLevel::kWarning, "a/b@c", FixedTime(), LogFormat::kText),
            "time=\"2026-11-22T05:24:27.000012345Z\" level=warning msg=a/b@c\n");
  EXPECT_EQ(FormatLogrusLine(LogLevel::kInfo, "", FixedTime(), LogFormat::kText),
            "time=\"2026-11-22T05:24:27.000012345Z\" level=info msg=\n");
}

TEST(LogrusFormat, ParseLogFormat) {
  EXPECT_EQ(ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat("text"), LogFormat::kText);
  EXPECT_EQ(ParseLogFormat(""), LogFormat::kText);
  EXPECT_EQ(ParseLogFormat("JSON"), LogFormat::kText);  // runc's values are case-sensitive
}

TEST(GoJsonQuote, EscapesLikeEncodingJson) {
  EXPECT_EQ(GoJsonQuote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(GoJsonQuote("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(GoJsonQuote(std::string("\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
  EXPECT_EQ(GoJsonQuote("<a&b>"), R"("\u003ca\u0026b\u003e")");  // SetEscapeHTML(true)
  EXPECT_EQ(GoJsonQuote("x\u2028y\u2029z"), R"("x\u2028y\u2029z")");
  EXPECT_EQ(GoJsonQuote("caf\u00e9 \U0001F600 /"), "\"caf\u00e9 \U0001F600 /\"");
}

TEST(GoJsonQuote, InvalidUtf8BecomesReplacementPerByte) {
  EXPECT_EQ(GoJsonQuote("a\xff\xfe"
                        "b"),
            R"("a\ufffd\ufffdb")");
  EXPECT_EQ(GoJsonQuote("\xc0\xaf"), R"("\ufffd\ufffd")");            // overlong '/'
  EXPECT_EQ(GoJsonQuote("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");  // a surrogate
  EXPECT_EQ(GoJsonQuote("\xe2\x82"), R"("\ufffd\ufffd")");            // truncated
}

TEST(GoJsonQuote, AnyBytesGiveOneValidJsonLine) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  std::string quoted = GoJsonQuote(all);
  EXPECT_EQ(quoted.find('\n'), std::string::npos);
  nlohmann::json parsed;
  ASSERT_NO_THROW(parsed = nlohmann::json::parse(quoted));
  EXPECT_EQ(parsed.get<std::string>().substr(0, 128), all.substr(0, 128));
}

TEST(GoQuote, EscapesLikeStrconvQuote) {
  EXPECT_EQ(GoQuote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(GoQuote("\a\b\f\n\r\t\v"), R"("\a\b\f\n\r\t\v")");
  EXPECT_EQ(GoQuote(std::string("\x00\x1b\x7f", 3)), R"("\x00\x1b\x7f")");
  EXPECT_EQ(GoQuote("a\xff"
                    "b"),
            R"("a\xffb")");
  EXPECT_EQ(GoQuote("<&> caf\u00e9"), "\"<&> caf\u00e9\"");
  EXPECT_EQ(GoQuote("x\u2028y\u202ez\u00a0\u0085"), R"("x\u2028y\u202ez\u00a0\u0085")");
  EXPECT_EQ(GoQuote("\U000F0000"), R"("\U000f0000")");
}

TEST(LogrusFormat, AMessageCannotAddALine) {
  for (auto format : {LogFormat::kJson, LogFormat::kText}) {
    std::string line = FormatLogrusLine(LogLevel::kError, "x\nlevel=error msg=forged\r\u2028",
                                        FixedTime(), format);
    EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
    EXPECT_EQ(line.find("\u2028"), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace verified::logging
