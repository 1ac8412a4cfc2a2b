#include "ctl/engines/docker_containers.h"

#include <gtest/gtest.h>

namespace verified::ctl {
namespace {

TEST(DockerContainers, ReadsInspect) {
  std::string id(64, 'a');
  nlohmann::json j = {
      {"Id", id},
      {"Name", "/web"},
      {"Config", {{"Image", "my_company/nginx:1.2"}}},
      {"State", {{"Running", true}, {"Status", "running"}, {"Pid", 42}}},
      {"HostConfig", {{"Runtime", "runc"}}},
      {"GraphDriver",
       {{"Name", "overlay2"}, {"Data", {{"MergedDir", "/var/lib/docker/overlay2/x/merged"}}}}}};
  auto c = DockerContainerFromInspect(j);
  ASSERT_TRUE(c.ok()) << c.error().What();
  EXPECT_EQ(c->engine, "docker");
  EXPECT_EQ(c->id, id);
  EXPECT_EQ(c->name, "web");
  EXPECT_EQ(c->image_typed, "my_company/nginx:1.2");
  EXPECT_TRUE(c->running);
  EXPECT_EQ(c->runtime, "runc");
  EXPECT_EQ(c->rootfs, "/var/lib/docker/overlay2/x/merged");
  EXPECT_TRUE(c->notes.empty());
}

TEST(DockerContainers, RejectsBadIds) {
  EXPECT_FALSE(DockerContainerFromInspect({{"Id", "../../etc"}}).ok());
  EXPECT_FALSE(DockerContainerFromInspect(nlohmann::json::array()).ok());
  EXPECT_FALSE(DockerContainerIds({{{"Id", "short"}}}).ok());
  EXPECT_FALSE(DockerContainerIds({{"Id", std::string(64, 'a')}}).ok());
  auto ids = DockerContainerIds(nlohmann::json::array({{{"Id", std::string(64, 'b')}}}));
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(ids->size(), 1u);
}

TEST(DockerContainers, NotesMissingMergedDir) {
  auto c = DockerContainerFromInspect(
      {{"Id", std::string(64, 'c')}, {"GraphDriver", {{"Name", "vfs"}}}});
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->rootfs.empty());
  ASSERT_EQ(c->notes.size(), 1u);
  EXPECT_NE(c->notes[0].find("vfs"), std::string::npos);
}

TEST(DockerContainers, AbsentWithoutSocketErrorWhenUnreachable) {
  // DOCKER_HOST names a socket that does not exist: present but unreachable is an error.
  DockerContainers d("unix:///nonexistent/verified-test/docker.sock", 2);
  auto r = d.List(false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().What().find("cannot reach"), std::string::npos) << r.error().What();
  EXPECT_FALSE(DockerContainers("ssh://host").List(false).ok());
}

}  // namespace
}  // namespace verified::ctl

namespace verified::ctl {
namespace {

TEST(DockerContainers, InspectKeepsOnlyWhatItReads) {
  std::string id(64, 'd');
  nlohmann::json full = {
      {"Id", id},
      {"Name", "/web"},
      {"Config", {{"Image", "app:1"}, {"Env", {"SECRET=x"}}, {"Labels", {{"a", "b"}}}}},
      {"State", {{"Running", true}, {"Status", "running"}, {"Pid", 7}, {"Health", {}}}},
      {"HostConfig", {{"Runtime", "verified"}, {"Binds", {"/:/host"}}}},
      {"GraphDriver", {{"Name", "overlay2"}, {"Data", {{"MergedDir", "/m"}, {"UpperDir", "/u"}}}}},
      {"NetworkSettings", {{"Networks", {{"none", {{"x", {{"y", {{"z", 1}}}}}}}}}}},
      {"Mounts", {{{"Source", "/"}}}}};
  auto j = ParseDockerInspect(full.dump(), "inspect");
  ASSERT_TRUE(j.ok()) << j.error().What();
  nlohmann::json want = {{"Id", id},
                         {"Name", "/web"},
                         {"Config", {{"Image", "app:1"}}},
                         {"State", {{"Running", true}, {"Status", "running"}, {"Pid", 7}}},
                         {"HostConfig", {{"Runtime", "verified"}}},
                         {"GraphDriver", {{"Name", "overlay2"}, {"Data", {{"MergedDir", "/m"}}}}}};
  EXPECT_EQ(*j, want);
  auto a = DockerContainerFromInspect(*j);
  auto b = DockerContainerFromInspect(full);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->rootfs, b->rootfs);
  EXPECT_EQ(a->runtime, b->runtime);
  EXPECT_EQ(a->image_typed, b->image_typed);
  EXPECT_FALSE(ParseDockerInspect("{\"Id\": ", "inspect").ok());
  EXPECT_FALSE(ParseDockerInspect(std::string(100000, '['), "inspect").ok());
}

}  // namespace
}  // namespace verified::ctl
