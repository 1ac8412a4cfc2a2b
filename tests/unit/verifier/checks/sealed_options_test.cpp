#include "verifier/checks/sealed_options.h"

#include <gtest/gtest.h>

#include "verifier/checks/catalog.h"

namespace verified {
namespace {

TEST(SealedOptions, TrueMeansDefaults) {
  auto o = ParseSealedOptions(true);
  ASSERT_TRUE(o.ok());
  EXPECT_FALSE(o->allow_args);
  EXPECT_FALSE(o->allow_any_env);
  EXPECT_TRUE(o->allow_volumes);
  EXPECT_EQ(o->forbidden_syscalls, DefaultForbiddenSyscalls());
}

TEST(SealedOptions, ObjectOptions) {
  auto o = ParseSealedOptions(nlohmann::json::parse(R"({
    "allow_args": true, "allow_env": ["LOG_*"], "allow_mounts": ["/srv/config/"],
    "allow_volumes": false, "allow_capabilities": ["net_admin", "CAP_SYS_NICE"],
    "forbidden_syscalls": ["bpf", "ptrace"], "protect": ["/app/plugins"]})"));
  ASSERT_TRUE(o.ok()) << o.error().What();
  EXPECT_TRUE(o->allow_args);
  EXPECT_EQ(o->allow_env, (std::vector<std::string>{"LOG_*"}));
  EXPECT_EQ(o->allow_mounts, (std::vector<std::string>{"/srv/config"}));
  EXPECT_FALSE(o->allow_volumes);
  EXPECT_EQ(o->allow_capabilities, (std::vector<std::string>{"CAP_NET_ADMIN", "CAP_SYS_NICE"}));
  EXPECT_EQ(o->forbidden_syscalls,
            (std::vector<std::string>{"ptrace", "process_vm_readv", "process_vm_writev", "bpf"}));
  EXPECT_EQ(o->protect, (std::vector<std::string>{"/app/plugins"}));
  EXPECT_TRUE(ParseSealedOptions(nlohmann::json::parse(R"({"allow_env": true})"))->allow_any_env);
}

TEST(SealedOptions, BadValuesNameTheKey) {
  struct Case {
    const char* json;
    const char* needle;
  } cases[] = {
      {R"({"allow_arg": true})", "unknown option 'allow_arg'"},
      {R"({"allow_args": "yes"})", "'allow_args' must be true or false"},
      {R"({"allow_mounts": ["relative/path"]})", "absolute paths"},
      {R"({"allow_mounts": ["/a/../b"]})", "absolute paths"},
      {R"({"allow_capabilities": ["CAP_FLY"]})", "unknown capability 'CAP_FLY'"},
      {R"({"forbidden_syscalls": ["not_a_syscall"]})", "libseccomp does not know"},
      {R"({"protect": "/app"})", "list of strings"},
      {R"("yes")", "value must be true, false, or an object"},
  };
  for (const auto& c : cases) {
    auto o = ParseSealedOptions(nlohmann::json::parse(c.json));
    ASSERT_FALSE(o.ok()) << c.json;
    EXPECT_NE(o.error().What().find(c.needle), std::string::npos) << o.error().What();
  }
}

TEST(SealedOptions, CatalogKnowsTheRequirements) {
  EXPECT_TRUE(MakeRequirement("sealed", true).ok());
  EXPECT_TRUE(MakeRequirement("no_shell", nlohmann::json::array({"python", "perl"})).ok());
  EXPECT_FALSE(MakeRequirement("no_shell", nlohmann::json::array({"../x"})).ok());
  EXPECT_FALSE(MakeRequirement("no_shell", "yes").ok());
  EXPECT_EQ(*MakeRequirement("sealed", false), nullptr);
  EXPECT_EQ(*MakeRequirement("no_shell", false), nullptr);
  auto names = RequirementNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "sealed"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "no_shell"), names.end());
}

}  // namespace
}  // namespace verified
