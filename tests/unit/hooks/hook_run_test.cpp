// verified-hook end to end in-process: arguments, state on a pipe, decision, decision log,
// exit status. The allowed path against a real engine is in tests/e2e/podman_hook.sh.
#include "hooks/hook_run.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>

#include "hooks/hook_state.h"
#include "unit/support/temp_dir.h"

namespace verified::hook {
namespace {

using testing::ReadFile;
using testing::WriteFile;

class HookRunTest : public ::testing::Test {
 protected:
  HookRunTest() {
    testing::MakeDir(tmp_ / "cfg");
    WriteFile(tmp_ / "cfg/runtime.json",
              R"({"decision_log": ")" + (tmp_ / "log/decisions.log") + R"("})");
    WriteFile(tmp_ / "bundle/config.json", R"({"root":{"path":"rootfs"},"process":{}})");
    testing::MakeDir(tmp_ / "bundle/rootfs");
  }

  std::string State(const std::string& id = "c1") const {
    return R"({"ociVersion":"1.0.2","id":")" + id + R"(","status":"creating","pid":42,"bundle":")" +
           (tmp_ / "bundle") + R"("})";
  }

  // Runs the hook with `state` on a pipe; the refusal text lands in err_.
  int Run(const std::string& state, std::vector<std::string> args = {}) {
    if (args.empty()) args = {"--config-dir", tmp_ / "cfg"};
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    // A state larger than the pipe buffer is written by a child, as a runtime would.
    pid_t writer = fork();
    if (writer == 0) {
      close(p[0]);
      size_t off = 0;
      while (off < state.size()) {
        ssize_t n = write(p[1], state.data() + off, state.size() - off);
        if (n <= 0) _exit(0);
        off += static_cast<size_t>(n);
      }
      _exit(0);
    }
    close(p[1]);
    err_.str("");
    int rc = RunHook(args, HookEnv{}, p[0], err_);
    close(p[0]);
    waitpid(writer, nullptr, 0);
    return rc;
  }

  std::string Log() const { return ReadFile(tmp_ / "log/decisions.log"); }

  testing::TempDir tmp_;
  std::ostringstream err_;
};

TEST_F(HookRunTest, DeniedDecisionExitsNonZeroLogsAndPrintsTheReason) {
  WriteFile(tmp_ / "cfg/policy.json", R"({"default":"deny"})");
  EXPECT_EQ(Run(State()), 1);
  EXPECT_EQ(err_.str().rfind("verified: refused container c1: ", 0), 0u) << err_.str();
  std::string log = Log();
  EXPECT_NE(log.find(R"("command":"create-hook")"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("container":"c1")"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("allowed":false)"), std::string::npos) << log;
}

TEST_F(HookRunTest, DebugTracesEveryDecisionStepBeforeTheRefusal) {
  WriteFile(tmp_ / "cfg/policy.json", R"({"default":"deny"})");
  EXPECT_EQ(Run(State(), {"--debug", "--config-dir", tmp_ / "cfg"}), 1);
  std::string out = err_.str();
  size_t at = 0;
  for (const char* step : {"policy", "spec", "mount", "store", "checks", "namespace joins"}) {
    size_t next = out.find(std::string("level=debug msg=\"decision step ") + step + ":", at);
    ASSERT_NE(next, std::string::npos) << step << " in: " << out;
    at = next;
  }
  EXPECT_NE(out.find("decision total: "), std::string::npos) << out;
  EXPECT_NE(out.find("verified: refused container c1: "), std::string::npos) << out;
}

TEST_F(HookRunTest, DebugIsAcceptedAfterTheOtherOptions) {
  WriteFile(tmp_ / "cfg/policy.json", R"({"default":"deny"})");
  EXPECT_EQ(Run(State(), {"--config-dir", tmp_ / "cfg", "--debug"}), 1);
  EXPECT_NE(err_.str().find("decision total: "), std::string::npos) << err_.str();
  EXPECT_EQ(err_.str().find("unexpected argument"), std::string::npos) << err_.str();
}

TEST_F(HookRunTest, WithoutDebugOnlyTheRefusalIsPrinted) {
  WriteFile(tmp_ / "cfg/policy.json", R"({"default":"deny"})");
  EXPECT_EQ(Run(State()), 1);
  EXPECT_EQ(err_.str().find("decision step"), std::string::npos) << err_.str();
}

TEST_F(HookRunTest, MissingPolicyIsARefusal) {
  EXPECT_EQ(Run(State()), 1);
  EXPECT_NE(err_.str().find("policy"), std::string::npos) << err_.str();
  EXPECT_NE(Log().find(R"("allowed":false)"), std::string::npos);
}

TEST_F(HookRunTest, AuditModeAllowsAndLogs) {
  WriteFile(tmp_ / "cfg/policy.json", R"({"mode":"audit"})");
  EXPECT_EQ(Run(State()), 0) << err_.str();
  EXPECT_EQ(err_.str(), "");
  EXPECT_NE(Log().find(R"("allowed":true)"), std::string::npos) << Log();
}

TEST_F(HookRunTest, ConfigDirFromTheEnvironmentWhenNoOption) {
  WriteFile(tmp_ / "cfg/policy.json", R"({"mode":"audit"})");
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  std::string s = State();
  ASSERT_EQ(write(p[1], s.data(), s.size()), static_cast<ssize_t>(s.size()));
  close(p[1]);
  EXPECT_EQ(RunHook({}, HookEnv{tmp_ / "cfg", "", ""}, p[0], err_), 0) << err_.str();
  close(p[0]);
}

TEST_F(HookRunTest, UnwritableDecisionLogRefusesEvenAnAllow) {
  WriteFile(tmp_ / "cfg/policy.json", R"({"mode":"audit"})");
  WriteFile(tmp_ / "log", "a file where the log directory should be");
  EXPECT_EQ(Run(State()), 1);
  EXPECT_NE(err_.str().find("cannot write the decision log"), std::string::npos) << err_.str();
}

TEST_F(HookRunTest, BadInputFailsClosedBeforeDeciding) {
  WriteFile(tmp_ / "cfg/policy.json", R"({"mode":"audit"})");
  EXPECT_EQ(Run(""), 1);
  EXPECT_EQ(Run("{not json"), 1);
  EXPECT_EQ(Run(State("../c1")), 1);
  EXPECT_EQ(Run(std::string(kMaxHookStateBytes + 1, ' ')), 1);
  EXPECT_NE(err_.str().find("more than 1048576 bytes"), std::string::npos) << err_.str();
  EXPECT_EQ(Log(), "") << "no decision is logged for a state that was never read";
}

TEST_F(HookRunTest, UnknownArgumentsFailClosed) {
  WriteFile(tmp_ / "cfg/policy.json", R"({"mode":"audit"})");
  EXPECT_EQ(Run(State(), {"--config-dir", tmp_ / "cfg", "--verbose"}), 1);
  EXPECT_NE(err_.str().find("unexpected argument \"--verbose\""), std::string::npos);
  EXPECT_EQ(Run(State(), {"--config-dir"}), 1);
  EXPECT_EQ(Run(State(), {"--runc", "/usr/sbin/runc"}), 1);
}

TEST_F(HookRunTest, UntrustedRuntimeSettingsRefuse) {
  WriteFile(tmp_ / "cfg/policy.json", R"({"mode":"audit"})");
  WriteFile(tmp_ / "cfg/runtime.json", R"({"decision_log": "/tmp/x", "unknown": 1})");
  EXPECT_EQ(Run(State()), 1);
  EXPECT_NE(err_.str().find("cannot use the runtime settings"), std::string::npos) << err_.str();
}

}  // namespace
}  // namespace verified::hook
