#include "verifier/checks/protect_host.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "tests/unit/verifier/checks/rule_fixture.h"
#include "verifier/checks/host_exposure.h"

namespace verified {
namespace {

namespace fs = std::filesystem;
using testing::DockerSpec;
using testing::Image;
using testing::RunRule;

nlohmann::json Bind(const std::string& src, const std::string& dst, bool ro = false) {
  nlohmann::json opts = {"rbind", "rprivate"};
  if (ro) opts.push_back("ro");
  return {{"destination", dst}, {"type", "bind"}, {"source", src}, {"options", opts}};
}

class ProtectHostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vfy-protect.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    fs::create_directories(dir_ + "/data/containers/" + std::string(64, 'b'));
    fs::create_directories(dir_ + "/data/volumes/v1/_data");
    fs::create_directories(dir_ + "/data/image/overlay2");
    fs::create_directories(dir_ + "/cfg");
    fs::create_directories(dir_ + "/engine");
    fs::create_directories(dir_ + "/app");
    fs::create_symlink("/", dir_ + "/link-to-root");
    MakeSocket(dir_ + "/engine/docker.sock");
  }
  void TearDown() override { fs::remove_all(dir_); }

  static void MakeSocket(const std::string& path) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path.c_str());
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    close(fd);
  }

  // Runs protect_host on the Docker spec with `mounts` appended (and `patch` applied).
  Finding Run(std::vector<nlohmann::json> mounts, const nlohmann::json& patch = {},
              const nlohmann::json& value = true) {
    Spec spec = DockerSpec(patch.is_null() ? nlohmann::json::object() : patch);
    for (auto& m : mounts) spec.raw["mounts"].push_back(m);
    ResolvedImage img = Image();
    img.store_root = dir_ + "/data";
    return RunRule("protect_host", value, img, &spec, nullptr, dir_ + "/cfg");
  }
  void ExpectRefused(const Finding& f, const std::string& needle) {
    EXPECT_EQ(f.outcome, Outcome::kFail) << f.message;
    EXPECT_NE(f.message.find(needle), std::string::npos) << f.message;
  }

  std::string dir_;
};

TEST_F(ProtectHostTest, AllowsAnOrdinaryContainer) {
  Finding f = Run({Bind(dir_ + "/app", "/app"),
                   Bind(dir_ + "/data/containers/" + std::string(64, 'b') + "/hosts", "/etc/hosts"),
                   Bind(dir_ + "/data/volumes/v1/_data", "/data"),
                   Bind("/etc/localtime", "/etc/localtime", true),
                   Bind("/usr/share", "/usr/share", true), Bind("/dev/null", "/etc/mask")});
  EXPECT_EQ(f.outcome, Outcome::kPass) << f.message;
}

TEST_F(ProtectHostTest, RefusesHostRootEvenThroughASymlink) {
  ExpectRefused(Run({Bind("/", "/host", true)}), "the host root filesystem");
  ExpectRefused(Run({Bind(dir_ + "/link-to-root", "/host")}), "the host root filesystem");
  ExpectRefused(Run({Bind("/tmp/../", "/host")}), "the host root filesystem");
}

TEST_F(ProtectHostTest, RefusesEtcAndWhatIsInIt) {
  ExpectRefused(Run({Bind("/etc", "/host-etc", true)}), "the host configuration /etc");
  ExpectRefused(Run({Bind("/etc/passwd", "/p", true)}), "it is inside the host configuration");
  ExpectRefused(Run({Bind("/etc/localtime", "/etc/localtime")}), "(writable)");
}

TEST_F(ProtectHostTest, RefusesEngineSocketsWherever) {
  ExpectRefused(Run({Bind("/var/run/docker.sock", "/s")}), "an engine API socket");
  ExpectRefused(Run({Bind("/run/containerd/containerd.sock", "/s")}), "an engine API socket");
  ExpectRefused(Run({Bind(dir_ + "/engine/docker.sock", "/s")}), "an engine API socket");
  ExpectRefused(Run({Bind(dir_ + "/engine", "/e")}), "contains the engine API socket");
}

TEST_F(ProtectHostTest, RefusesDataRootConfigDirAndAncestors) {
  ExpectRefused(Run({Bind(dir_ + "/data/image", "/i", true)}), "the engine data root");
  ExpectRefused(Run({Bind(dir_ + "/data/containers", "/c")}), "the engine data root");
  ExpectRefused(Run({Bind(dir_, "/all")}), "it contains");
  ExpectRefused(Run({Bind(dir_ + "/cfg", "/c", true)}), "the verified config dir");
  ExpectRefused(Run({Bind("/var/lib/docker", "/d")}), "/var/lib/docker");
  ExpectRefused(Run({Bind("/run/containerd", "/r")}), "/run/containerd");
  ExpectRefused(Run({Bind("/var", "/v")}), "it contains");
}

TEST_F(ProtectHostTest, RefusesWritableSystemDirsOnly) {
  ExpectRefused(Run({Bind("/usr/bin", "/b")}), "the host system binaries");
  EXPECT_EQ(Run({Bind("/usr/bin", "/b", true)}).outcome, Outcome::kPass);
  EXPECT_EQ(Run({Bind("/usr", "/u", true)}).outcome, Outcome::kPass);
  ExpectRefused(Run({Bind("/usr", "/u")}), "the host system binaries");
}

TEST_F(ProtectHostTest, RefusesDevicesPrivilegeAndHostPid) {
  nlohmann::json fuse = {
      {"linux",
       {{"devices", {{{"path", "/dev/fuse"}, {"type", "c"}, {"major", 10}, {"minor", 229}}}}}}};
  ExpectRefused(Run({}, fuse), "host device /dev/fuse (c 10:229) is passed in");
  nlohmann::json privileged = {
      {"linux", {{"resources", {{"devices", {{{"allow", true}, {"access", "rwm"}}}}}}}}};
  ExpectRefused(Run({}, privileged), "privileged");
  nlohmann::json sys_admin = {{"process", {{"capabilities", {{"effective", {"CAP_SYS_ADMIN"}}}}}}};
  ExpectRefused(Run({}, sys_admin), "CAP_SYS_ADMIN");
  nlohmann::json host_pid = {{"linux", {{"namespaces", {{{"type", "mount"}}}}}}};
  ExpectRefused(Run({}, host_pid), "host PID namespace (--pid=host)");
  nlohmann::json join_host = {
      {"linux", {{"namespaces", {{{"type", "pid"}, {"path", "/proc/self/ns/pid"}}}}}}};
  ExpectRefused(Run({}, join_host), "joins the host PID namespace");
  if (access("/dev/sda", F_OK) == 0 || access("/dev/vda", F_OK) == 0) {
    std::string disk = access("/dev/sda", F_OK) == 0 ? "/dev/sda" : "/dev/vda";
    ExpectRefused(Run({Bind(disk, "/disk")}), "a host device node");
  }
}

TEST_F(ProtectHostTest, ExtraReadOnlyAllowances) {
  nlohmann::json value = {{"allow_read_only", {"/etc/ssl/certs"}}};
  EXPECT_EQ(Run({Bind("/etc/ssl/certs", "/etc/ssl/certs", true)}, {}, value).outcome,
            Outcome::kPass);
  ExpectRefused(Run({Bind("/etc/ssl/certs", "/etc/ssl/certs")}, {}, value), "(writable)");
  EXPECT_FALSE(MakeRequirement("protect_host", {{"allow_read_only", {"relative"}}}).ok());
  EXPECT_FALSE(MakeRequirement("protect_host", {{"allow_read_only", {"/"}}}).ok());
  EXPECT_FALSE(MakeRequirement("protect_host", {{"allow", {"/x"}}}).ok());
}

TEST_F(ProtectHostTest, RefusesAProtectedDirBindMountedElsewhere) {
  // A named volume whose _data is /etc (local driver, o=bind) looks engine-owned by its path;
  // by inode it is /etc. Mounting needs a private mount namespace: done in a child.
  fs::create_directories(dir_ + "/data/volumes/evil/_data");
  pid_t pid = fork();
  if (pid == 0) {
    if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) ||
        mount("/etc", (dir_ + "/data/volumes/evil/_data").c_str(), nullptr, MS_BIND, nullptr)) {
      _exit(77);
    }
    Finding f = Run({Bind(dir_ + "/data/volumes/evil/_data", "/data")});
    bool ok =
        f.outcome == Outcome::kFail &&
        f.message.find("the host configuration /etc /etc under another name") != std::string::npos;
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "cannot create a mount namespace here";
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(ProtectHostTest, NotEvaluatedWithoutSpec) {
  EXPECT_EQ(RunRule("protect_host", true, Image(), nullptr).outcome, Outcome::kNotEvaluated);
}

TEST(HostExposure, EngineOwnedPaths) {
  std::string id(64, 'c');
  EXPECT_TRUE(IsEngineOwnedPath("/var/lib/docker/containers/" + id + "/hosts"));
  EXPECT_TRUE(IsEngineOwnedPath("/var/lib/docker/containers/" + id + "/mounts/shm"));
  EXPECT_TRUE(IsEngineOwnedPath("/var/lib/docker/volumes/data/_data"));
  EXPECT_TRUE(IsEngineOwnedPath("/run/containers/storage/overlay-containers/" + id +
                                "/userdata/.containerenv"));
  EXPECT_TRUE(IsEngineOwnedPath("/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/" + id +
                                "/resolv.conf"));
  EXPECT_FALSE(IsEngineOwnedPath("/var/lib/docker/containers/" + id + "/config.v2.json"));
  EXPECT_FALSE(IsEngineOwnedPath("/var/lib/docker/containers/" + id));
  EXPECT_FALSE(IsEngineOwnedPath("/var/lib/docker/containers/short/hosts"));
  EXPECT_FALSE(IsEngineOwnedPath("/var/lib/docker/volumes"));
  EXPECT_FALSE(IsEngineOwnedPath("/"));
}

TEST(HostExposure, NormalisesPaths) {
  EXPECT_EQ(NormalisePath("//etc/./x/../"), "/etc");
  EXPECT_EQ(NormalisePath("/.."), "/");
  EXPECT_EQ(NormalisePath("/a//b"), "/a/b");
}

}  // namespace
}  // namespace verified
