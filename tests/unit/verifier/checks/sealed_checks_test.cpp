// The sealed checks against Docker-shaped specs: each way into a container gives its own
// sentence; the default `docker run` gives none.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "unit/verifier/checks/docker_spec_fixture.h"
#include "verifier/checks/sealed_image.h"
#include "verifier/checks/sealed_layer.h"
#include "verifier/checks/sealed_mounts.h"
#include "verifier/checks/sealed_privileges.h"
#include "verifier/checks/sealed_process.h"
#include "verifier/store/docker/docker_files.h"

namespace verified {
namespace {

class SealedChecks : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vfy-sealed.XXXXXX";
    data_root_ = mkdtemp(tmpl);
    std::filesystem::create_directories(data_root_ + "/containers/" + cid_);
    for (const char* f : {"resolv.conf", "hostname", "hosts"}) {
      std::ofstream(data_root_ + "/containers/" + cid_ + "/" + f) << "x";
    }
    std::filesystem::create_directories(data_root_ + "/volumes/v1/_data");
    std::filesystem::create_directories(data_root_ + "/host/inject");
    spec_ = testing::DockerSpec(data_root_, cid_);
    std::map<std::string, MergedEntry> e;
    MergedEntry exe;
    exe.mode = S_IFREG | 0755;
    e["app/canary"] = exe;
    MergedEntry lib;
    lib.mode = S_IFREG | 0644;
    e["usr/lib/libfoo.so.1"] = lib;
    MergedEntry link;
    link.mode = S_IFLNK | 0777;
    link.link_target = "usr/lib";
    e["lib"] = link;
    tree_ = MergedTree::FromEntries(e, {});
    opts_ = *ParseSealedOptions(true);
    image_.entrypoint = {"/app/canary"};
    image_.cmd = {"serve"};
    image_.workdir = "/";
    image_.user.spec = "app";
    image_.user.uid = 1000;
    image_.user.gid = 1000;
    image_.user.groups = {1000};
    ResolvedImage ri;
    nlohmann::json env = nlohmann::json::array();
    ri.config = {{"config", {{"Env", env}}}};
    image_.protected_dirs = ReadImageIntent(ri, tree_, opts_)->protected_dirs;
    engine_ = docker::ContainerFiles(data_root_, cid_, "");
  }
  void TearDown() override { std::filesystem::remove_all(data_root_); }

  std::vector<std::string> All() {
    auto v = CheckSealedProcess(spec_, image_, opts_);
    for (auto& s : CheckSealedMounts(spec_, image_, tree_, engine_, opts_)) v.push_back(s);
    for (auto& s : CheckSealedPrivileges(spec_, opts_, HostFacts{})) v.push_back(s);
    return v;
  }
  std::string Only() {
    auto v = All();
    EXPECT_EQ(v.size(), 1u) << ::testing::PrintToString(v);
    return v.empty() ? "" : v.front();
  }
  void AddMount(nlohmann::json m) { spec_["mounts"].push_back(std::move(m)); }

  std::string data_root_;
  std::string cid_ = std::string(64, 'c');
  nlohmann::json spec_;
  MergedTree tree_ = MergedTree::FromEntries({}, {});
  SealedOptions opts_;
  ImageIntent image_;
  EngineFiles engine_;
};

TEST_F(SealedChecks, PlainDockerRunPasses) { EXPECT_TRUE(All().empty()) << All()[0]; }

TEST_F(SealedChecks, ProtectedDirsComeFromTheImage) {
  std::vector<std::string> dirs;
  for (const auto& d : image_.protected_dirs) dirs.push_back(d.rel + " " + d.reason);
  EXPECT_NE(std::find(dirs.begin(), dirs.end(), "app holds /app/canary"), dirs.end());
  EXPECT_NE(std::find(dirs.begin(), dirs.end(), "usr/lib holds /usr/lib/libfoo.so.1"), dirs.end());
  EXPECT_NE(std::find(dirs.begin(), dirs.end(), "usr/bin is on the image's PATH"), dirs.end());
}

TEST_F(SealedChecks, Entrypoint) {
  spec_["process"]["args"] = {"sh"};
  EXPECT_EQ(
      Only(),
      R"(entrypoint ["sh"] differs from the image's ["/app/canary"] (a sealed image runs only its own entrypoint))");
}

TEST_F(SealedChecks, ArgumentsUnlessAllowed) {
  spec_["process"]["args"] = {"/app/canary", "--debug"};
  EXPECT_NE(Only().find("arguments [\"/app/canary\",\"--debug\"] differ"), std::string::npos);
  opts_.allow_args = true;
  EXPECT_TRUE(All().empty());
}

TEST_F(SealedChecks, CmdOnlyImageFixesItsProgram) {
  image_.entrypoint = {};
  image_.cmd = {"/app/canary", "serve"};
  spec_["process"]["args"] = {"/bin/sh", "-c", "id"};
  EXPECT_NE(Only().find("entrypoint [\"/bin/sh\"] differs from the image's [\"/app/canary\"]"),
            std::string::npos);
}

TEST_F(SealedChecks, EnvironmentNamesOnly) {
  spec_["process"]["env"].push_back("LD_PRELOAD=/tmp/secret-value.so");
  spec_["process"]["env"].push_back("TERM=xterm");
  std::string v = Only();
  EXPECT_NE(v.find("LD_PRELOAD"), std::string::npos);
  EXPECT_EQ(v.find("secret-value"), std::string::npos);
  opts_.allow_env = {"LD_*"};
  EXPECT_TRUE(All().empty());
}

TEST_F(SealedChecks, HomeAndPathAreNotFreeForAll) {
  spec_["process"]["env"].push_back("HOME=/proof");  // python would load $HOME/.local code
  EXPECT_NE(Only().find("not set this way by the image: HOME"), std::string::npos);
  spec_ = testing::DockerSpec(data_root_, cid_);
  spec_["process"]["env"][0] = "PATH=/proof:/usr/bin";  // the image sets no PATH
  EXPECT_NE(Only().find("not set this way by the image: PATH"), std::string::npos);
}

TEST_F(SealedChecks, UserAndGroups) {
  spec_["process"]["user"] = {{"uid", 0}, {"gid", 0}};
  EXPECT_EQ(Only(), "user uid 0 gid 0 differs from the image's user 'app' (uid 1000, gid 1000)");
  spec_["process"]["user"] = {{"uid", 1000}, {"gid", 1000}, {"additionalGids", {1000, 0}}};
  EXPECT_EQ(Only(), "supplementary groups 0 are not the image user's own (1000)");
  image_.user.error = "the image's user 'app' is not in its /etc/passwd";
  EXPECT_NE(Only().find("cannot tell which user"), std::string::npos);
}

TEST_F(SealedChecks, WorkingDirectory) {
  spec_["process"]["cwd"] = "/tmp";
  EXPECT_EQ(Only(), "working directory /tmp differs from the image's /");
}

TEST_F(SealedChecks, HostBindMount) {
  AddMount({{"destination", "/injection"},
            {"type", "bind"},
            {"source", data_root_ + "/host/inject"},
            {"options", {"rbind"}}});
  EXPECT_NE(Only().find("bind mount from the host: " + data_root_ + "/host/inject on /injection"),
            std::string::npos);
  opts_.allow_mounts = {data_root_ + "/host"};
  EXPECT_TRUE(All().empty());
}

TEST_F(SealedChecks, EngineFilesOnlyAtTheirOwnPlaces) {
  AddMount({{"destination", "/app/x"},
            {"type", "bind"},
            {"source", data_root_ + "/containers/" + cid_ + "/hosts"}});
  EXPECT_EQ(Only(), "mount on /app/x is inside /app, which holds /app/canary");
}

TEST_F(SealedChecks, AnotherContainersFilesAreHostFiles) {
  std::filesystem::create_directories(data_root_ + "/containers/other");
  AddMount({{"destination", "/etc/hosts"},
            {"type", "bind"},
            {"source", data_root_ + "/containers/other"}});
  EXPECT_NE(Only().find("bind mount from the host"), std::string::npos);
}

// The check knows no engine: what the resolver did not list (plain `ctr run` lists nothing) is
// a host file, even at Docker's own paths.
TEST_F(SealedChecks, OnlyWhatTheStoreListsIsTheEngines) {
  engine_ = EngineFiles();
  auto v = All();
  ASSERT_EQ(v.size(), 3u) << ::testing::PrintToString(v);  // resolv.conf, hostname, hosts
  EXPECT_NE(v[0].find("bind mount from the host: " + data_root_ + "/containers/" + cid_),
            std::string::npos)
      << v[0];
  engine_.container_files = {data_root_ + "/containers/" + cid_ + "/hosts"};
  EXPECT_EQ(All().size(), 2u);
}

TEST_F(SealedChecks, VolumesAllowedUnlessDisabledButNeverOverCode) {
  AddMount(
      {{"destination", "/data"}, {"type", "bind"}, {"source", data_root_ + "/volumes/v1/_data"}});
  EXPECT_TRUE(All().empty());
  opts_.allow_volumes = false;
  EXPECT_NE(Only().find("allow_volumes to false"), std::string::npos);
  opts_.allow_volumes = true;
  spec_["mounts"].back()["destination"] = "/lib/plugins";  // /lib -> usr/lib, resolved as runc does
  EXPECT_EQ(Only(),
            "mount on /lib/plugins (/usr/lib/plugins) is inside /usr/lib, which holds "
            "/usr/lib/libfoo.so.1");
}

TEST_F(SealedChecks, TmpfsOverOrAboveCode) {
  AddMount({{"destination", "/usr"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
  EXPECT_NE(Only().find("mount on /usr covers /usr/"), std::string::npos);
  spec_["mounts"].back()["destination"] = "/scratch";
  EXPECT_TRUE(All().empty());
}

TEST_F(SealedChecks, RealFilesystemMount) {
  AddMount({{"destination", "/data"}, {"type", "ext4"}, {"source", "/dev/sda1"}});
  EXPECT_EQ(Only(), "mount of a 'ext4' filesystem from /dev/sda1 on /data");
}

TEST_F(SealedChecks, ProtectOption) {
  opts_.protect = {"/srv/models"};
  ResolvedImage ri;
  image_.protected_dirs = ReadImageIntent(ri, tree_, opts_)->protected_dirs;
  AddMount({{"destination", "/srv"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
  EXPECT_NE(Only().find("covers /srv/models, which is listed in the rule's protect option"),
            std::string::npos);
}

TEST_F(SealedChecks, Privileged) {
  nlohmann::json all = nlohmann::json::array();
  for (const auto& c : KnownCapabilities()) all.push_back(c);
  spec_["process"]["capabilities"]["bounding"] = all;
  spec_["linux"].erase("maskedPaths");
  spec_["linux"].erase("readonlyPaths");
  spec_["linux"]["resources"]["devices"] = {{{"allow", true}, {"access", "rwm"}}};
  spec_["linux"].erase("seccomp");
  spec_["process"]["apparmorProfile"] = "unconfined";
  auto v = All();
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], "privileged mode (every capability, no masked paths, all host devices)");
  EXPECT_EQ(v[1], "seccomp is disabled (seccomp=unconfined)");
  EXPECT_EQ(v[2], "AppArmor is disabled (apparmor=unconfined)");
}

TEST_F(SealedChecks, HomeOfTheImageUserIsTheEngines) {
  image_.user.home = "/home/app";  // Podman adds HOME from the image's /etc/passwd
  spec_["process"]["env"].push_back("HOME=/home/app");
  EXPECT_TRUE(All().empty());
  spec_["process"]["env"].back() = "HOME=/proof";
  EXPECT_NE(Only().find("not set this way by the image: HOME"), std::string::npos);
}

TEST_F(SealedChecks, PrivilegedOnAHostMissingACapability) {
  nlohmann::json all = nlohmann::json::array();
  for (const auto& c : KnownCapabilities()) {
    if (c != "CAP_SYS_RESOURCE") all.push_back(c);  // bit 24, absent from this host's CapBnd
  }
  spec_["process"]["capabilities"]["bounding"] = all;
  spec_["linux"].erase("maskedPaths");
  spec_["linux"].erase("readonlyPaths");
  HostFacts host;
  host.missing_capabilities = {24};
  auto v = CheckSealedPrivileges(spec_, opts_, host);
  ASSERT_FALSE(v.empty());
  EXPECT_EQ(v[0], "privileged mode (every capability, no masked paths, all host devices)");
  v = CheckSealedPrivileges(spec_, opts_, HostFacts{});  // a host that has it: not "all"
  ASSERT_FALSE(v.empty());
  EXPECT_NE(v[0].find("capabilities beyond the engine's default set"), std::string::npos);
}

TEST_F(SealedChecks, AddedCapabilities) {
  spec_["process"]["capabilities"]["bounding"].push_back("CAP_SYS_PTRACE");
  EXPECT_EQ(Only(), "capabilities beyond the engine's default set: CAP_SYS_PTRACE");
  opts_.allow_capabilities = {"CAP_SYS_PTRACE"};
  EXPECT_TRUE(All().empty());
}

TEST_F(SealedChecks, MaskedPathsAndDevicesAlone) {
  spec_["linux"]["maskedPaths"] = nlohmann::json::array();
  spec_["linux"]["readonlyPaths"] = nlohmann::json::array();
  EXPECT_EQ(Only(), "no masked or read-only kernel paths (systempaths=unconfined)");
}

TEST_F(SealedChecks, HostNamespaces) {
  auto& ns = spec_["linux"]["namespaces"];
  ns = {
      {{"type", "mount"}}, {{"type", "network"}, {"path", "/proc/self/ns/net"}}, {{"type", "ipc"}}};
  auto v = All();
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0], "shares the host's PID (--pid=host) namespace");
  EXPECT_EQ(v[1], "shares the host's network (--network=host) namespace");
}

TEST_F(SealedChecks, SeccompProfiles) {
  spec_["linux"]["seccomp"]["syscalls"].push_back(
      {{"names", {"ptrace"}}, {"action", "SCMP_ACT_ALLOW"}});
  EXPECT_EQ(Only(),
            "seccomp profile allows ptrace, which a sealed container must not be able to call");
  spec_["linux"]["seccomp"]["syscalls"].back()["names"] = {"bpf", "bogus_call"};
  opts_.forbidden_syscalls.push_back("bpf");
  auto v = All();
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0], "seccomp profile names syscalls unknown to libseccomp: bogus_call");
  EXPECT_NE(v[1].find("allows bpf"), std::string::npos);
}

TEST_F(SealedChecks, AppArmorOffOnAnAppArmorHost) {
  auto v = CheckSealedPrivileges(spec_, opts_, HostFacts{true, {}});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0], "no AppArmor profile although the host enforces AppArmor");
  spec_["process"]["apparmorProfile"] = "docker-default";
  EXPECT_TRUE(CheckSealedPrivileges(spec_, opts_, HostFacts{true, {}}).empty());
}

TEST_F(SealedChecks, MalformedSpecsFailClosed) {
  spec_["process"]["args"] = "sh";
  EXPECT_NE(Only().find("process.args is missing"), std::string::npos);
  spec_ = testing::DockerSpec(data_root_, cid_);
  spec_["mounts"] = "nope";
  EXPECT_EQ(Only(), "the spec's mounts is not a list");
  spec_ = testing::DockerSpec(data_root_, cid_);
  spec_["linux"]["seccomp"]["defaultAction"] = 7;
  EXPECT_NE(Only().find("seccomp profile cannot be read"), std::string::npos);
  spec_ = testing::DockerSpec(data_root_, cid_);
  spec_.erase("process");
  EXPECT_FALSE(All().empty());
}

TEST(ImageUser, ResolvesAgainstTheImagesAccountFiles) {
  auto p = ParsePasswd("root:x:0:0::/root:/sbin/nologin\napp:x:1000:1001::/home/app:/x\nbad\n");
  EXPECT_EQ(p.size(), 2u);
  EXPECT_EQ(p["app"], std::make_pair(1000u, 1001u));
  auto g = ParseGroup("app:x:1001:\nwheel:x:10:app,root\n");
  EXPECT_EQ(g["wheel"].second, (std::vector<std::string>{"app", "root"}));
}

}  // namespace
}  // namespace verified

namespace verified {
namespace {

TEST(ContainerLayer, CodeAddedSinceTheImageIsRefused) {
  char tmpl[] = "/tmp/vfy-upper.XXXXXX";
  std::string base = mkdtemp(tmpl);
  std::filesystem::create_directories(base + "/c1/merged");
  std::filesystem::create_directories(base + "/c1/diff/tmp");
  std::filesystem::create_directories(base + "/c1/diff/app");
  ImageIntent image;
  image.protected_dirs = {{"app", "holds /app/server"}};
  std::string layer = base + "/c1/diff";
  std::ofstream(layer + "/tmp/data.log") << "log";  // data the program wrote: fine
  EXPECT_TRUE(CheckContainerLayer(layer, image).empty());
  std::ofstream(layer + "/app/server") << "replaced";  // docker cp over the entrypoint
  std::ofstream(layer + "/tmp/tool") << "x";
  std::filesystem::permissions(layer + "/tmp/tool", std::filesystem::perms::owner_all);
  auto v = CheckContainerLayer(layer, image);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].find(": /app/server, /tmp/tool"), std::string::npos) << v[0];
  EXPECT_NE(CheckContainerLayer(base + "/missing", image)[0].find("cannot check"),
            std::string::npos);
  std::filesystem::remove_all(base);
}

}  // namespace
}  // namespace verified
