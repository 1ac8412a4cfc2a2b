#include "ctl/engines/containerd_containers.h"

#include "tests/unit/ctl/engines/fake_tree.h"

namespace verified::ctl {
namespace {

using testing::FakeTree;
using testing::ScopedCwd;

const char* kTasks = "state/io.containerd.runtime.v2.task";

std::string CriSpec() {
  return R"({"ociVersion":"1.0.2","process":{"user":{"uid":0}},"root":{"path":"rootfs"},
    "annotations":{"io.kubernetes.cri.image-name":"docker.io/library/nginx:1.25",
                   "io.kubernetes.cri.container-name":"web",
                   "io.kubernetes.cri.sandbox-name":"web-7d4",
                   "io.kubernetes.cri.sandbox-namespace":"prod"}})";
}

TEST(ContainerdContainers, NotPresentWithoutTaskDir) {
  FakeTree t;
  t.Mkdir("state");
  ContainerdContainers e({t.root() + "/state", t.root() + "/missing"});
  auto r = e.List(true);
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_FALSE(r->has_value());
}

TEST(ContainerdContainers, ListsRunningTasksWithCriNames) {
  FakeTree t;
  std::string id(64, 'a');
  std::string task = std::string(kTasks) + "/k8s.io/" + id;
  t.Write(task + "/config.json", CriSpec());
  t.Write(task + "/options.json", R"({"binary_name":"/usr/local/bin/verified-runtime"})");
  t.Mkdir(task + "/rootfs");
  pid_t pid = t.SpawnInit();
  t.Write(task + "/init.pid", std::to_string(pid));
  // A second task whose init is gone: listed only with include_stopped.
  std::string stale = std::string(kTasks) + "/default/old";
  t.Write(stale + "/config.json", R"({"root":{"path":"/abs/rootfs"}})");
  t.Write(stale + "/runtime", "/usr/sbin/runc\n");
  t.Write(stale + "/init.pid", std::to_string(t.DeadPid()));
  // A half-created task without config.json is skipped; an invalid namespace name too.
  t.Mkdir(std::string(kTasks) + "/default/creating");
  t.Mkdir(std::string(kTasks) + "/.hidden/x");

  ScopedCwd shim(t.root() + "/" + task);
  ContainerdContainers e({t.root() + "/state"});
  auto running = e.List(false);
  ASSERT_TRUE(running.ok()) << running.error().What();
  ASSERT_TRUE(running->has_value());
  ASSERT_EQ((*running)->size(), 1u);
  const FoundContainer& c = (**running)[0];
  EXPECT_EQ(c.engine, "containerd");
  EXPECT_EQ(c.id, id);
  EXPECT_EQ(c.name, "prod/web-7d4/web");
  EXPECT_EQ(c.image_typed, "docker.io/library/nginx:1.25");
  EXPECT_EQ(c.rootfs, t.root() + "/" + task + "/rootfs");
  EXPECT_EQ(c.bundle, t.root() + "/" + task);
  EXPECT_EQ(c.runtime, "/usr/local/bin/verified-runtime");
  EXPECT_TRUE(c.running);

  auto all = e.List(true);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ((*all)->size(), 2u);
  const FoundContainer& old = (**all)[0];
  EXPECT_EQ(old.name, "default/old");
  EXPECT_FALSE(old.running);
  EXPECT_TRUE(old.bundle.empty());
  EXPECT_EQ(old.rootfs, "/abs/rootfs");
  EXPECT_EQ(old.runtime, "/usr/sbin/runc");
}

// CRI runs every container of a pod under the shim it started for the pod's sandbox, in the
// sandbox's bundle: such a container is running, and the sandbox is named after its pod.
TEST(ContainerdContainers, CriContainersUnderTheirSandboxShim) {
  FakeTree t;
  std::string sandbox_id(64, 's'), ctr_id(64, 'c');
  std::string sandbox = std::string(kTasks) + "/k8s.io/" + sandbox_id;
  std::string ctr = std::string(kTasks) + "/k8s.io/" + ctr_id;
  t.Write(sandbox + "/config.json", R"({"root":{"path":"rootfs"},"annotations":{
      "io.kubernetes.cri.container-type":"sandbox","io.kubernetes.cri.sandbox-id":")" +
                                        sandbox_id + R"(",
      "io.kubernetes.cri.sandbox-name":"web-7d4","io.kubernetes.cri.sandbox-namespace":"prod"}})");
  t.Write(sandbox + "/init.pid", std::to_string(t.SpawnInit()));
  std::string spec = CriSpec();
  spec.insert(spec.rfind("}}"), ",\"io.kubernetes.cri.sandbox-id\":\"" + sandbox_id + "\"");
  t.Write(ctr + "/config.json", spec);
  t.Write(ctr + "/init.pid", std::to_string(t.SpawnInit()));
  // A container naming another pod's sandbox is not supervised from there: stale.
  std::string other = std::string(kTasks) + "/k8s.io/other";
  std::string other_spec = CriSpec();
  other_spec.insert(other_spec.rfind("}}"), R"(,"io.kubernetes.cri.sandbox-id":"elsewhere")");
  t.Write(other + "/config.json", other_spec);
  t.Write(other + "/init.pid", std::to_string(t.SpawnInit()));

  ScopedCwd shim(t.root() + "/" + sandbox);
  auto all = ContainerdContainers({t.root() + "/state"}).List(true);
  ASSERT_TRUE(all.ok()) << all.error().What();
  ASSERT_EQ((*all)->size(), 3u);
  const FoundContainer& c = (**all)[0];  // sorted by id: c..., other, s...
  EXPECT_EQ(c.id, ctr_id);
  EXPECT_EQ(c.name, "prod/web-7d4/web");
  EXPECT_TRUE(c.running);
  EXPECT_EQ(c.bundle, t.root() + "/" + ctr);  // its own bundle, not the sandbox's
  EXPECT_FALSE((**all)[1].running);
  const FoundContainer& s = (**all)[2];
  EXPECT_EQ(s.name, "prod/web-7d4/POD");
  EXPECT_TRUE(s.running);
}

TEST(ContainerdContainers, MalformedSpecIsAnError) {
  FakeTree t;
  t.Write(std::string(kTasks) + "/default/bad/config.json", "{not json");
  ContainerdContainers e({t.root() + "/state"});
  auto r = e.List(true);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().What().find("default/bad"), std::string::npos) << r.error().What();
}

TEST(ContainerdContainers, RefusesSymlinkedTaskFiles) {
  FakeTree t;
  t.Write("elsewhere/config.json", CriSpec());
  t.Mkdir(std::string(kTasks) + "/default/evil");
  std::filesystem::create_symlink(t.root() + "/elsewhere/config.json",
                                  t.root() + "/" + kTasks + "/default/evil/config.json");
  ContainerdContainers e({t.root() + "/state"});
  EXPECT_FALSE(e.List(true).ok());
}

}  // namespace
}  // namespace verified::ctl
