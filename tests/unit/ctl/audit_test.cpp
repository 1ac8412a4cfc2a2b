#include <gtest/gtest.h>

#include "ctl/audit_report.h"
#include "ctl/audit_run.h"

namespace verified::ctl {
namespace {

FoundContainer Container(const std::string& id, const std::string& typed) {
  FoundContainer c;
  c.engine = "docker";
  c.id = id;
  c.name = "c-" + id;
  c.image_typed = typed;
  c.rootfs = "/nonexistent/verified-audit-test/" + id + "/merged";
  c.state = "created";
  c.runtime = "runc";
  return c;
}

std::vector<FoundContainer> Seed001Host() {
  return {Container("1", "my_company/nginx"), Container("2", "my_company/service"),
          Container("3", "developer_a/log_converter"), Container("4", "malicious_repo/some_image"),
          Container("5", "python:3.7-alpine3.10")};
}

std::vector<bool> Compliance(const std::vector<AuditRow>& rows) {
  std::vector<bool> out;
  for (const auto& r : rows) out.push_back(r.compliant);
  return out;
}

TEST(Audit, WhitelistAsInSeed001) {
  auto list = ParseImageList("# comment\n# blank lines are ignored\nmy_company/*  \n");
  ASSERT_TRUE(list.ok());
  AuditSettings s;
  s.mode = AuditMode::kWhitelist;
  s.list = &*list;
  auto rows = AuditContainers(Seed001Host(), s);
  EXPECT_EQ(Compliance(rows), (std::vector<bool>{true, true, false, false, false}));
  EXPECT_NE(rows[0].verdict.reason.find("line 3: my_company/*"), std::string::npos)
      << rows[0].verdict.reason;
  EXPECT_NE(rows[2].verdict.reason.find("not listed in the whitelist"), std::string::npos);
  // The image is not provable here (no store): noted, not hidden.
  ASSERT_FALSE(rows[0].notes.empty());
  EXPECT_NE(rows[0].notes.back().find("image not proven"), std::string::npos);
}

TEST(Audit, BlacklistAsInSeed001) {
  auto list = ParseImageList("# comment\nmalicious_repo/*\n");
  ASSERT_TRUE(list.ok());
  AuditSettings s;
  s.mode = AuditMode::kBlacklist;
  s.list = &*list;
  s.workers = 3;
  auto rows = AuditContainers(Seed001Host(), s);
  EXPECT_EQ(Compliance(rows), (std::vector<bool>{true, true, true, false, true}));
  EXPECT_EQ(rows[3].verdict.rule, "blacklist line 2 'malicious_repo/*'");
}

TEST(Audit, PolicyModeRefusesWhatCannotBeProven) {
  auto policy = ParsePolicy(R"({"default":"allow"})");
  ASSERT_TRUE(policy.ok());
  AuditSettings s;
  s.policy = &*policy;
  s.config_dir = "/nonexistent-verified-config";
  auto rows = AuditContainers({Container("1", "app:1")}, s);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(rows[0].compliant);
  EXPECT_FALSE(rows[0].image.has_value());
  EXPECT_EQ(rows[0].verdict.rule, "error");
  EXPECT_NE(rows[0].verdict.reason.find("no known engine store"), std::string::npos)
      << rows[0].verdict.reason;
  FoundContainer nowhere = Container("2", "app:1");
  nowhere.rootfs.clear();
  auto r2 = AuditContainers({nowhere}, s);
  EXPECT_NE(r2[0].verdict.reason.find("no root filesystem path"), std::string::npos);
}

TEST(Audit, KeepsOrderWithManyWorkers) {
  auto list = ParseImageList("keep/*\n");
  ASSERT_TRUE(list.ok());
  std::vector<FoundContainer> many;
  for (int i = 0; i < 500; ++i) {
    many.push_back(Container(std::to_string(i), i % 2 ? "keep/x:1" : "drop/x:1"));
  }
  AuditSettings s;
  s.mode = AuditMode::kWhitelist;
  s.list = &*list;
  s.workers = 8;
  auto rows = AuditContainers(many, s);
  ASSERT_EQ(rows.size(), 500u);
  for (int i = 0; i < 500; ++i) {
    EXPECT_EQ(rows[i].container.id, std::to_string(i));
    EXPECT_EQ(rows[i].compliant, i % 2 == 1);
  }
}

TEST(Audit, ReasonsListEveryFailure) {
  Verdict v;
  v.decision = Action::kDeny;
  v.reason = "rule 1 'x' requires non_root: runs as root";
  v.findings = {Fail("non_root", "runs as root"), Pass("no_latest", "pinned"),
                Fail("baseline protect_host", "bind mount of /")};
  auto reasons = AuditReasons(v);
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0], v.reason);
  EXPECT_EQ(reasons[1], "baseline protect_host: bind mount of /");
  v.decision = Action::kAllow;
  v.reason = "allowed by rule 1";
  EXPECT_EQ(AuditReasons(v), std::vector<std::string>{"allowed by rule 1"});
}

TEST(AuditReport, JsonAndTable) {
  auto list = ParseImageList("my_company/*\n");
  ASSERT_TRUE(list.ok());
  AuditSettings s;
  s.mode = AuditMode::kWhitelist;
  s.list = &*list;
  AuditReport report;
  report.mode = s.mode;
  report.source = "images.txt";
  report.engines = {{"docker", "unix:///x", "ok", "", 5},
                    {"podman", "/p", "absent", "", 0},
                    {"containerd", "/c", "error", "boom", 0}};
  report.rows = AuditContainers(Seed001Host(), s);
  report.exit_code = 2;
  auto j = AuditJson(report);
  EXPECT_EQ(j["mode"], "whitelist");
  EXPECT_EQ(j["image_file"], "images.txt");
  EXPECT_EQ(j["summary"]["containers"], 5);
  EXPECT_EQ(j["summary"]["compliant"], 2);
  EXPECT_EQ(j["summary"]["noncompliant"], 3);
  EXPECT_EQ(j["exit_code"], 2);
  EXPECT_EQ(j["engines"][2]["error"], "boom");
  EXPECT_EQ(j["containers"][4]["image"], "python:3.7-alpine3.10");
  EXPECT_EQ(j["containers"][4]["compliant"], false);
  char* buf = nullptr;
  size_t len = 0;
  FILE* mem = open_memstream(&buf, &len);
  PrintAuditTable(mem, report, false);
  fclose(mem);
  std::string table(buf, len);
  free(buf);
  EXPECT_NE(table.find("CONTAINER"), std::string::npos);
  EXPECT_NE(table.find("malicious_repo/some_image"), std::string::npos);
  EXPECT_NE(table.find("error: containerd at /c: boom"), std::string::npos);
  EXPECT_NE(table.find("5 containers (docker 5, podman absent, containerd error): 2 compliant, "
                       "3 not"),
            std::string::npos)
      << table;
  EXPECT_EQ(HumanSize(-1), "-");
  EXPECT_EQ(HumanSize(999), "999 B");
  EXPECT_EQ(HumanSize(2048000), "2.0 MB");
}

}  // namespace
}  // namespace verified::ctl
