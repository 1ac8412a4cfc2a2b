#include "verifier/seccomp/profile_check.h"

#include <gtest/gtest.h>

namespace verified {
namespace {

const std::vector<std::string> kForbidden = {"ptrace", "process_vm_readv", "process_vm_writev"};

SeccompReport Analyze(const char* text) {
  auto j = nlohmann::json::parse(text);
  auto r = AnalyzeSeccomp(&j, kForbidden);
  EXPECT_TRUE(r.ok()) << r.error().What();
  return r.ok() ? *r : SeccompReport{};
}

TEST(Seccomp, KnownNamesComeFromLibseccomp) {
  EXPECT_TRUE(IsKnownSyscall("ptrace"));
  EXPECT_TRUE(IsKnownSyscall("socketcall"));  // not x86_64, but known to libseccomp
  EXPECT_FALSE(IsKnownSyscall("not_a_syscall"));
  EXPECT_FALSE(IsKnownSyscall(""));
}

TEST(Seccomp, AbsentProfileIsDisabledSeccomp) {
  auto r = AnalyzeSeccomp(nullptr, kForbidden);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->present);
  nlohmann::json null;
  EXPECT_FALSE(AnalyzeSeccomp(&null, kForbidden)->present);
}

TEST(Seccomp, AllowListWithoutForbiddenPasses) {
  auto r = Analyze(R"({"defaultAction":"SCMP_ACT_ERRNO",
    "syscalls":[{"names":["read","write","socketcall"],"action":"SCMP_ACT_ALLOW"}]})");
  EXPECT_TRUE(r.present);
  EXPECT_TRUE(r.allowed.empty());
  EXPECT_TRUE(r.unknown_names.empty());
}

TEST(Seccomp, DockerStyleAllowOfPtraceIsReported) {
  auto r = Analyze(R"({"defaultAction":"SCMP_ACT_ERRNO",
    "syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"},
                {"names":["ptrace"],"action":"SCMP_ACT_ALLOW"}]})");
  EXPECT_EQ(r.allowed, (std::vector<std::string>{"ptrace"}));
}

TEST(Seccomp, ConditionalAllowStillAllows) {
  auto r = Analyze(R"({"defaultAction":"SCMP_ACT_ERRNO",
    "syscalls":[{"names":["process_vm_readv"],"action":"SCMP_ACT_LOG",
                 "args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]}]})");
  EXPECT_EQ(r.allowed, (std::vector<std::string>{"process_vm_readv"}));
}

TEST(Seccomp, DefaultAllowNeedsUnconditionalBlocks) {
  auto r = Analyze(R"({"defaultAction":"SCMP_ACT_ALLOW",
    "syscalls":[{"names":["ptrace","process_vm_readv"],"action":"SCMP_ACT_ERRNO"},
                {"names":["process_vm_writev"],"action":"SCMP_ACT_KILL",
                 "args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]}]})");
  EXPECT_EQ(r.allowed, (std::vector<std::string>{"process_vm_writev"}));
}

TEST(Seccomp, UnknownNamesAreReported) {
  auto r = Analyze(R"({"defaultAction":"SCMP_ACT_ERRNO",
    "syscalls":[{"names":["read","frobnicate"],"action":"SCMP_ACT_ALLOW"},
                {"name":"zap_it","action":"SCMP_ACT_ERRNO"}]})");
  EXPECT_EQ(r.unknown_names, (std::vector<std::string>{"frobnicate", "zap_it"}));
}

TEST(Seccomp, MalformedProfilesAreErrors) {
  for (const char* text : {R"({"syscalls":[]})", R"({"defaultAction":"SCMP_ACT_NOPE"})",
                           R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":{}})",
                           R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["x"]}]})",
                           R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":[1],
                               "action":"SCMP_ACT_ALLOW"}]})",
                           R"([1])"}) {
    auto j = nlohmann::json::parse(text);
    EXPECT_FALSE(AnalyzeSeccomp(&j, kForbidden).ok()) << text;
  }
}

}  // namespace
}  // namespace verified
