#include "ctl/engines/podman_containers.h"

#include <nlohmann/json.hpp>

#include "tests/unit/ctl/engines/fake_tree.h"

namespace verified::ctl {
namespace {

using testing::FakeTree;

std::string Entry(const std::string& id, const std::string& name, const std::string& layer,
                  const std::string& image_name) {
  nlohmann::json meta = {{"image-name", image_name}, {"name", name}};
  nlohmann::json e = {
      {"id", id},       {"names", {name}},         {"image", std::string(64, 'f')},
      {"layer", layer}, {"metadata", meta.dump()}, {"created", "2024-01-01T00:00:00Z"}};
  return e.dump();
}

TEST(PodmanContainers, ParsesContainersJson) {
  std::string id(64, 'a');
  auto r =
      ParseStorageContainers("[" + Entry(id, "web", std::string(64, 'b'), "localhost/app:1") + "]");
  ASSERT_TRUE(r.ok()) << r.error().What();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].image_name, "localhost/app:1");
  EXPECT_EQ((*r)[0].names, std::vector<std::string>{"web"});
  EXPECT_FALSE(ParseStorageContainers("{}").ok());
  EXPECT_FALSE(ParseStorageContainers("[{\"id\":\"../x\",\"layer\":\"l\"}]").ok());
  EXPECT_FALSE(ParseStorageContainers("[" + Entry(id, "w", "../../etc", "x") + "]").ok());
  EXPECT_FALSE(ParseStorageContainers(std::string(kMaxContainersJsonBytes + 1, ' ')).ok());
  // Unparsable metadata is not fatal: the image name is simply unknown.
  nlohmann::json odd = {{"id", id}, {"layer", std::string(64, 'b')}, {"metadata", "{oops"}};
  auto o = ParseStorageContainers("[" + odd.dump() + "]");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ((*o)[0].image_name, "");
}

TEST(PodmanContainers, RuntimeFromConmon) {
  std::string cmd;
  for (const char* a :
       {"/usr/bin/conmon", "--api-version", "1", "-r", "/usr/bin/runc", "-b", "/x"}) {
    cmd += std::string(a) + '\0';
  }
  EXPECT_EQ(RuntimeFromConmonCmdline(cmd), "/usr/bin/runc");
  EXPECT_EQ(RuntimeFromConmonCmdline(std::string("conmon\0-r", 9)), "");
}

TEST(PodmanContainers, NotPresentWithoutStore) {
  FakeTree t;
  PodmanContainers e(t.root() + "/nope", t.root() + "/run");
  auto r = e.List(true);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST(PodmanContainers, ListsRunningAndStopped) {
  FakeTree t;
  std::string up(64, 'a'), down(64, 'c');
  std::string layer(64, 'b');
  t.Write("graph/overlay-containers/containers.json",
          "[" + Entry(up, "web", layer, "localhost/app:1") + "," +
              Entry(down, "old", layer, "docker.io/library/busybox:latest") + "]");
  t.Write("graph/overlay-containers/" + up + "/userdata/config.json", "{}");
  pid_t init = t.SpawnInit();
  t.Write("run/overlay-containers/" + up + "/userdata/pidfile", std::to_string(init));
  t.Write("run/overlay-containers/" + up + "/userdata/conmon.pid", std::to_string(getpid()));
  // The stopped one has a stale pidfile whose process is gone.
  t.Write("run/overlay-containers/" + down + "/userdata/pidfile", std::to_string(t.DeadPid()));
  t.Write("run/overlay-containers/" + down + "/userdata/conmon.pid", std::to_string(getpid()));

  PodmanContainers e(t.root() + "/graph", t.root() + "/run");
  auto running = e.List(false);
  ASSERT_TRUE(running.ok()) << running.error().What();
  ASSERT_EQ((*running)->size(), 1u);
  const FoundContainer& c = (**running)[0];
  EXPECT_EQ(c.engine, "podman");
  EXPECT_EQ(c.id, up);
  EXPECT_EQ(c.name, "web");
  EXPECT_EQ(c.image_typed, "localhost/app:1");
  EXPECT_TRUE(c.running);
  EXPECT_EQ(c.bundle, t.root() + "/graph/overlay-containers/" + up + "/userdata");
  EXPECT_EQ(c.rootfs, t.root() + "/graph/overlay/" + layer + "/merged");

  auto all = e.List(true);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ((*all)->size(), 2u);
  EXPECT_FALSE((**all)[1].running);
  EXPECT_TRUE((**all)[1].bundle.empty());
}

TEST(PodmanContainers, MalformedContainersJsonIsAnError) {
  FakeTree t;
  t.Write("graph/overlay-containers/containers.json", "[{\"id\": 5}]");
  PodmanContainers e(t.root() + "/graph", t.root() + "/run");
  EXPECT_FALSE(e.List(true).ok());
}

}  // namespace
}  // namespace verified::ctl
