#include "verifier/checks/catalog.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace verified {
namespace {

// A value each requirement accepts (from its factory's doc comment). A name added to the
// catalog without a line here fails CatalogNamesAreTheOnesThisTestKnows.
const std::map<std::string, nlohmann::json>& SampleValues() {
  static const auto* values = new std::map<std::string, nlohmann::json>{
      {"base", "alpine:3.20"},
      {"content", "full"},
      {"healthcheck", true},
      {"labels", nlohmann::json::array({"maintainer"})},
      {"max_age_days", 30},
      {"no_latest", true},
      {"no_privilege_escalation", true},
      {"no_secrets_in_env", true},
      {"no_shell", true},
      {"non_root", true},
      {"pod_sandbox", true},
      {"protect_host", true},
      {"read_only_rootfs", true},
      {"registered", true},
      {"registries", nlohmann::json::array({"docker.io"})},
      {"sealed", true},
      {"signatures", 2},
      {"signed_by", "ci,release"},
      {"signed_identity", "digest"},
      {"vulnerabilities", "critical:0,high:5"},
      {"scan_max_age_days", 7},
      {"sbom", true},
      {"provenance_builder", "https://github.com/actions/runner/*"},
      {"provenance_source", "https://github.com/acme/**"},
      {"attested_by", "ci"},
  };
  return *values;
}

TEST(Catalog, ListsEachNameOnce) {
  auto names = RequirementNames();
  std::set<std::string> unique(names.begin(), names.end());
  EXPECT_EQ(unique.size(), names.size());
}

TEST(Catalog, CatalogNamesAreTheOnesThisTestKnows) {
  std::set<std::string> expected;
  for (const auto& [name, value] : SampleValues()) expected.insert(name);
  auto names = RequirementNames();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected);
}

TEST(Catalog, EachListedNameConstructs) {
  for (const auto& name : RequirementNames()) {
    auto it = SampleValues().find(name);
    ASSERT_NE(it, SampleValues().end()) << name;
    auto r = MakeRequirement(name, it->second);
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().What());
  }
}

TEST(Catalog, UnknownNameListsEachKnownNameOnce) {
  auto r = MakeRequirement("nope", true);
  ASSERT_FALSE(r.ok());
  std::string msg = r.error().What();
  for (const char* name : {"registered", "base"}) {
    std::string quoted = std::string(" ") + name + ",";
    size_t first = msg.find(quoted);
    ASSERT_NE(first, std::string::npos) << msg;
    EXPECT_EQ(msg.find(quoted, first + 1), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace verified
