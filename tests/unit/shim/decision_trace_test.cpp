#include "shim/decision_trace.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "shim/logging.h"
#include "unit/support/temp_dir.h"

namespace verified::shim {
namespace {

std::vector<DecisionStep> Steps() {
  return {{"policy", 120, "digest sha256:ab"},
          {"spec", 30, "rootfs /r"},
          {"mount", 7, "overlay mounted at the rootfs"},
          {"store", 900, "docker-overlay2 image sha256:cd"},
          {"checks", 40, "rule 1 'app': deny"}};
}

TEST(DecisionTrace, OneLinePerStepThenTheTotal) {
  auto lines = DecisionTraceLines(Steps());
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0], "decision step policy: digest sha256:ab (120 us)");
  EXPECT_EQ(lines[3], "decision step store: docker-overlay2 image sha256:cd (900 us)");
  EXPECT_EQ(lines[4], "decision step checks: rule 1 'app': deny (40 us)");
  EXPECT_EQ(lines[5], "decision total: 1097 us in 5 steps");
  EXPECT_TRUE(DecisionTraceLines({}).empty());
}

void Trace(const std::string& log, bool debug) {
  logging::LogOptions o;
  o.path = log;
  o.format = logging::LogFormat::kJson;
  o.debug = debug;
  TraceDecision(*logging::OpenLogger("verified-runtime", o), Steps());
}

TEST(DecisionTrace, WrittenAtDebugLevelOnlyWithDebug) {
  testing::TempDir tmp;
  Trace(tmp / "debug.log", true);
  std::string text = testing::ReadFile(tmp / "debug.log");
  EXPECT_NE(text.find("{\"level\":\"debug\",\"msg\":\"decision step mount: overlay mounted at the "
                      "rootfs (7 us)\",\"time\":"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\"msg\":\"decision total: 1097 us in 5 steps\""), std::string::npos);
  Trace(tmp / "quiet.log", false);
  EXPECT_EQ(testing::ReadFile(tmp / "quiet.log"), "");
}

}  // namespace
}  // namespace verified::shim
