// The sealed mount check for Podman's (containers/storage) own per-container files: /dev/shm
// from the graphroot, hostname/hosts/resolv.conf/.containerenv from the runroot, named volumes
// from <graphroot>/volumes. Mirrors the Docker cases of sealed_checks_test.cpp.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "verifier/checks/sealed_image.h"
#include "verifier/checks/sealed_mounts.h"
#include "verifier/store/cstorage/podman_files.h"

namespace verified {
namespace {

nlohmann::json PodmanBind(const std::string& dest, const std::string& source) {
  return {{"destination", dest},
          {"type", "bind"},
          {"source", source},
          {"options", {"rbind", "rprivate", "nosuid", "noexec", "nodev"}}};
}

class SealedMountsPodman : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vfy-sealed-podman.XXXXXX";
    top_ = mkdtemp(tmpl);
    chmod(top_.c_str(), 0755);
    graphroot_ = top_ + "/root";
    runroot_ = top_ + "/runroot";
    MakeContainer(cid_);
    std::filesystem::create_directories(graphroot_ + "/volumes/v1/_data");
    std::map<std::string, MergedEntry> e;
    MergedEntry exe;
    exe.mode = S_IFREG | 0755;
    e["app/canary"] = exe;
    tree_ = MergedTree::FromEntries(e, {});
    opts_ = *ParseSealedOptions(true);
    ResolvedImage ri;
    ri.config = {{"config", {{"Env", nlohmann::json::array()}}}};
    image_.protected_dirs = ReadImageIntent(ri, tree_, opts_)->protected_dirs;
    // What Podman 4.3 (rootful, --network=none) puts in config.json besides the standard
    // mounts, which sealed_checks_test.cpp covers.
    std::string run = RunDir(cid_);
    spec_ = {{"mounts",
              {{{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}},
               {{"destination", "/dev"}, {"type", "tmpfs"}, {"source", "tmpfs"}},
               PodmanBind("/dev/shm", ShmDir(cid_)),
               PodmanBind("/run/.containerenv", run + "/.containerenv"),
               PodmanBind("/etc/hostname", run + "/hostname"),
               PodmanBind("/etc/hosts", run + "/hosts")}}};
  }
  void TearDown() override { std::filesystem::remove_all(top_); }

  std::string ShmDir(const std::string& id) {
    return graphroot_ + "/overlay-containers/" + id + "/userdata/shm";
  }
  std::string RunDir(const std::string& id) {
    return runroot_ + "/overlay-containers/" + id + "/userdata";
  }
  void MakeContainer(const std::string& id) {
    std::filesystem::create_directories(ShmDir(id));
    std::filesystem::create_directories(RunDir(id));
    chmod(RunDir(id).c_str(), 0700);
    for (const char* f : {".containerenv", "hostname", "hosts", "resolv.conf"}) {
      std::ofstream(RunDir(id) + "/" + f) << "x";
    }
  }
  std::vector<std::string> Check() {
    // As the containers/storage resolver lists them, from the spec being judged.
    EngineFiles engine = cstorage::ContainerFiles(graphroot_, cid_, spec_);
    return CheckSealedMounts(spec_, image_, tree_, engine, opts_);
  }
  std::string Only() {
    auto v = Check();
    EXPECT_EQ(v.size(), 1u) << ::testing::PrintToString(v);
    return v.empty() ? "" : v.front();
  }

  std::string top_, graphroot_, runroot_;
  std::string cid_ = std::string(64, 'c');
  nlohmann::json spec_;
  MergedTree tree_ = MergedTree::FromEntries({}, {});
  SealedOptions opts_;
  ImageIntent image_;
};

TEST_F(SealedMountsPodman, OwnFilesAccepted) {
  if (geteuid() != 0) GTEST_SKIP() << "the runroot rule needs root-owned directories";
  EXPECT_TRUE(Check().empty()) << Check()[0];
  spec_["mounts"].push_back(PodmanBind("/etc/resolv.conf", RunDir(cid_) + "/resolv.conf"));
  EXPECT_TRUE(Check().empty()) << Check()[0];
}

TEST_F(SealedMountsPodman, SameFileOfAnotherContainerRefused) {
  std::string other(64, 'd');
  MakeContainer(other);
  spec_["mounts"].push_back(PodmanBind("/etc/resolv.conf", RunDir(other) + "/resolv.conf"));
  EXPECT_EQ(Only(), "bind mount from the host: " + RunDir(other) +
                        "/resolv.conf on /etc/resolv.conf (only the engine's own files, its "
                        "volumes and the rule's allow_mounts may be mounted into a sealed "
                        "container)");
  spec_["mounts"].back() = PodmanBind("/dev/shm", ShmDir(other));
  EXPECT_NE(Only().find("bind mount from the host: " + ShmDir(other)), std::string::npos);
}

TEST_F(SealedMountsPodman, OwnFilesOnlyAtEngineDestinations) {
  spec_["mounts"].push_back(PodmanBind("/etc/passwd", RunDir(cid_) + "/hosts"));
  EXPECT_NE(Only().find("bind mount from the host: " + RunDir(cid_) + "/hosts on /etc/passwd"),
            std::string::npos);
}

TEST_F(SealedMountsPodman, WorldWritableRunrootDirRefused) {
  chmod(RunDir(cid_).c_str(), 0777);
  EXPECT_EQ(Check().size(), 3u);  // .containerenv, hostname, hosts
  EXPECT_NE(Check()[1].find("bind mount from the host: " + RunDir(cid_) + "/hostname"),
            std::string::npos);
  chmod(RunDir(cid_).c_str(), 0700);
  chmod((runroot_ + "/overlay-containers/" + cid_).c_str(), 0775);  // group-writable parent
  EXPECT_EQ(Check().size(), 3u);
}

TEST_F(SealedMountsPodman, NotARegularFileRefused) {
  std::filesystem::create_directories(RunDir(cid_) + "/sub");
  std::ofstream(RunDir(cid_) + "/sub/hosts") << "x";
  spec_["mounts"].push_back(PodmanBind("/etc/resolv.conf", RunDir(cid_) + "/sub/hosts"));
  EXPECT_NE(Only().find("bind mount from the host"), std::string::npos);
}

TEST_F(SealedMountsPodman, NamedVolumeIsAVolume) {
  spec_["mounts"].push_back(PodmanBind("/data", graphroot_ + "/volumes/v1/_data"));
  auto v = Check();
  if (geteuid() == 0) {
    EXPECT_TRUE(v.empty()) << v[0];
  }
  opts_.allow_volumes = false;
  EXPECT_NE(Check().back().find("volume " + graphroot_ +
                                "/volumes/v1/_data on /data (the rule "
                                "sets allow_volumes to false)"),
            std::string::npos);
  opts_.allow_volumes = true;
  spec_["mounts"].back()["destination"] = "/app/plugins";
  EXPECT_EQ(Check().back(), "mount on /app/plugins is inside /app, which holds /app/canary");
}

TEST_F(SealedMountsPodman, DockerRulesDoNotApply) {
  std::filesystem::create_directories(graphroot_ + "/containers/" + cid_);
  std::ofstream(graphroot_ + "/containers/" + cid_ + "/hosts") << "x";
  spec_["mounts"].push_back(
      PodmanBind("/etc/resolv.conf", graphroot_ + "/containers/" + cid_ + "/hosts"));
  EXPECT_NE(Check().back().find("bind mount from the host"), std::string::npos);
}

}  // namespace
}  // namespace verified
