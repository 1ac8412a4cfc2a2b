#include "verifier/decision/ns_join.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "unit/support/temp_dir.h"

namespace verified {
namespace {

FileKey KeyOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return FileKey{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
}

std::string Self(const std::string& rest) {
  return "/proc/" + std::to_string(getpid()) + "/" + rest;
}

// A pid that no longer runs.
long DeadPid() {
  pid_t p = fork();
  if (p == 0) _exit(0);
  waitpid(p, nullptr, 0);
  return p;
}

Spec SpecWith(const std::string& namespaces, const std::string& annotations = "{}") {
  auto s = ParseSpec(R"({"root":{"path":"rootfs"},"annotations":)" + annotations +
                     R"(,"linux":{"namespaces":)" + namespaces + "}}");
  EXPECT_TRUE(s.ok());
  return *s;
}

class NsJoin_ : public ::testing::Test {
 protected:
  void SetUp() override {
    seals_ = t_ / "seals";
    runc_root_ = t_ / "runc";
    std::filesystem::create_directories(runc_root_ + "/sealed1");  // runc keeps it
  }
  SealEntry Sealed(const std::string& id = "sealed1") {
    SealEntry e;
    e.container_id = id;
    e.runc_root = runc_root_;
    e.image = "sealed:1";
    e.rule = "rule 1 'sealed'";
    e.namespaces = {"pid", "ipc", "mount"};
    e.written_at = time(nullptr) - 3600;
    return e;
  }
  // Seals this test process's root, as if it were the sealed container's rootfs.
  void SealOurRoot(SealEntry e) {
    ASSERT_TRUE(WriteSealEntry(seals_, RootEntryName(KeyOf(Self("root"))), e).ok());
  }
  void SealOurNs(const std::string& type, long pid) {
    SealEntry e = Sealed();
    e.ns_type = type;
    e.init_pid = pid;
    ASSERT_TRUE(
        WriteSealEntry(seals_, NsEntryName(KeyOf(Self("ns/" + NamespaceFile(type)))), e).ok());
  }
  testing::TempDir t_;
  std::string seals_, runc_root_;
};

TEST_F(NsJoin_, SpecNamespacesSplitIntoJoinedAndCreated) {
  Spec s =
      SpecWith(R"([{"type":"pid"},{"type":"network","path":"/run/netns/x"},{"type":"mount"}])");
  auto joins = JoinedNamespaces(s);
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].type, "network");
  EXPECT_EQ(joins[0].path, "/run/netns/x");
  EXPECT_EQ(CreatedNamespaces(s), (std::vector<std::string>{"pid", "mount"}));
  EXPECT_EQ(NamespaceFile("network"), "net");
  EXPECT_EQ(NamespaceFile("mount"), "mnt");
  EXPECT_EQ(NamespaceFile("pid"), "pid");
}

TEST_F(NsJoin_, NothingJoinedNothingRead) {
  // An index that cannot be trusted is not even looked at when nothing is joined.
  std::filesystem::create_directories(seals_);
  chmod(seals_.c_str(), 0777);
  EXPECT_FALSE(JoinsSealedNamespace({}, seals_).has_value());
}

TEST_F(NsJoin_, JoiningThroughAProcessOfASealedRootIsRefused) {
  // Between create and start only the rootfs is indexed; the joined pid's root finds it.
  SealOurRoot(Sealed());
  auto r = JoinsSealedNamespace({{"pid", Self("ns/pid")}}, seals_);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r,
            "it joins the pid namespace of container sealed1, which runs sealed image sealed:1: "
            "a sealed container cannot be entered");
  EXPECT_TRUE(JoinsSealedNamespace({{"ipc", Self("ns/ipc")}}, seals_).has_value());
  EXPECT_TRUE(JoinsSealedNamespace({{"mount", Self("ns/mnt")}}, seals_).has_value());
  // A namespace the sealed container did not create itself (its pod's network): allowed.
  EXPECT_FALSE(JoinsSealedNamespace({{"network", Self("ns/net")}}, seals_).has_value());
}

TEST_F(NsJoin_, JoiningAnIndexedNamespaceByAnyPathIsRefused) {
  SealOurNs("network", getpid());
  // /proc/self/... is not the /proc/<pid> shape: looked up by the namespace's identity.
  EXPECT_TRUE(JoinsSealedNamespace({{"network", "/proc/self/ns/net"}}, seals_).has_value());
  EXPECT_TRUE(JoinsSealedNamespace({{"network", Self("ns/net")}}, seals_).has_value());
  // A bind mount of the namespace (ip netns, CNI) is the same namespace.
  EXPECT_FALSE(JoinsSealedNamespace({{"ipc", Self("ns/ipc")}}, seals_).has_value());
}

TEST_F(NsJoin_, StaleEntriesNeitherRefuseNorStay) {
  SealOurNs("pid", DeadPid());  // the sealed init is gone: the inode may be anyone's now
  EXPECT_FALSE(JoinsSealedNamespace({{"pid", Self("ns/pid")}}, seals_).has_value());
  EXPECT_FALSE(std::filesystem::exists(seals_ + "/" + NsEntryName(KeyOf(Self("ns/pid")))));
  // A rootfs entry whose container runc no longer keeps, written long ago: stale.
  SealOurRoot(Sealed("gone"));
  EXPECT_FALSE(JoinsSealedNamespace({{"pid", Self("ns/pid")}}, seals_).has_value());
  // The same, written moments ago (runc has not made its directory yet): refused.
  SealEntry fresh = Sealed("creating");
  fresh.written_at = time(nullptr);
  SealOurRoot(fresh);
  EXPECT_TRUE(JoinsSealedNamespace({{"pid", Self("ns/pid")}}, seals_).has_value());
}

TEST_F(NsJoin_, AuditSealsDoNotRefuse) {
  SealEntry e = Sealed();
  e.mode = "audit";
  SealOurRoot(e);
  EXPECT_FALSE(JoinsSealedNamespace({{"pid", Self("ns/pid")}}, seals_).has_value());
}

TEST_F(NsJoin_, WhatCannotBeEstablishedIsRefused) {
  // An index others may write.
  std::filesystem::create_directories(seals_);
  chmod(seals_.c_str(), 0777);
  auto r = JoinsSealedNamespace({{"pid", Self("ns/pid")}}, seals_);
  ASSERT_TRUE(r.has_value());
  EXPECT_NE(r->find("the seal index cannot be trusted"), std::string::npos);
  chmod(seals_.c_str(), 0700);
  // A path that does not exist, or a process that is gone.
  EXPECT_TRUE(JoinsSealedNamespace({{"pid", t_ / "none"}}, seals_).has_value());
  EXPECT_TRUE(
      JoinsSealedNamespace({{"pid", "/proc/" + std::to_string(DeadPid()) + "/ns/pid"}}, seals_)
          .has_value());
  // A namespace file reached through a directory others may change (a symlink could be
  // swapped for one to a sealed namespace after the check).
  std::string open_dir = t_ / "open";
  std::filesystem::create_directories(open_dir);
  chmod(open_dir.c_str(), 0777);
  std::filesystem::create_symlink(Self("ns/net"), open_dir + "/net");
  r = JoinsSealedNamespace({{"network", open_dir + "/net"}}, seals_);
  ASSERT_TRUE(r.has_value());
  EXPECT_NE(r->find("may be changed by users other than root"), std::string::npos);
  EXPECT_FALSE(JoinsSealedNamespace({{"network", "relative/net"}}, seals_)->empty());
}

TEST_F(NsJoin_, ASealedContainerJoinsNoOtherContainersNamespace) {
  Spec s = SpecWith("[]");
  auto r = SealedJoinRefusal(s, {{"pid", "/proc/1/ns/pid"}}, runc_root_);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r,
            "sealed image: it joins the pid namespace /proc/1/ns/pid of another container; a "
            "sealed container shares its pid namespace with no process of another image (only "
            "its own pod's sandbox may hold its IPC, UTS and network namespaces)");
  for (const char* type : {"ipc", "uts", "network", "mount"}) {
    EXPECT_TRUE(SealedJoinRefusal(s, {{type, Self("ns/ipc")}}, runc_root_).has_value()) << type;
  }
  // An engine's own network namespace file (Podman's /run/netns/netns-*): rule 1 decides.
  EXPECT_FALSE(SealedJoinRefusal(s, {{"network", "/run/netns/netns-1"}}, runc_root_).has_value());
  // Namespaces that expose nothing of the process.
  EXPECT_FALSE(SealedJoinRefusal(s, {{"cgroup", Self("ns/cgroup")}}, runc_root_).has_value());
}

TEST_F(NsJoin_, ItsOwnPodSandboxIsProvenFromRuncsRecord) {
  // The sandbox: runc keeps it with CRI's label, and its init is this process.
  std::filesystem::create_directories(runc_root_ + "/sb1");
  auto write_sandbox = [&](const std::string& label) {
    std::ofstream(runc_root_ + "/sb1/state.json")
        << R"({"init_process_pid":)" << getpid() << R"(,"config":{"labels":[")" << label
        << R"(","bundle=/x"]}})";
  };
  write_sandbox("io.kubernetes.cri.container-type=sandbox");
  Spec member = SpecWith(
      "[]",
      R"({"io.kubernetes.cri.container-type":"container","io.kubernetes.cri.sandbox-id":"sb1"})");
  EXPECT_TRUE(JoinOwnPodSandbox(member, {"ipc", Self("ns/ipc")}, runc_root_));
  EXPECT_FALSE(SealedJoinRefusal(
                   member,
                   {{"ipc", Self("ns/ipc")}, {"uts", Self("ns/uts")}, {"network", Self("ns/net")}},
                   runc_root_)
                   .has_value());
  // Never its PID namespace (shareProcessNamespace), nor a namespace of another type.
  EXPECT_TRUE(SealedJoinRefusal(member, {{"pid", Self("ns/pid")}}, runc_root_).has_value());
  EXPECT_FALSE(JoinOwnPodSandbox(member, {"ipc", Self("ns/uts")}, runc_root_));
  // Another sandbox id, no CRI type, or a "sandbox" runc does not record as one.
  Spec other = SpecWith(
      "[]",
      R"({"io.kubernetes.cri.container-type":"container","io.kubernetes.cri.sandbox-id":"sb2"})");
  EXPECT_FALSE(JoinOwnPodSandbox(other, {"ipc", Self("ns/ipc")}, runc_root_));
  Spec plain = SpecWith("[]", R"({"io.kubernetes.cri.sandbox-id":"sb1"})");
  EXPECT_FALSE(JoinOwnPodSandbox(plain, {"ipc", Self("ns/ipc")}, runc_root_));
  write_sandbox("io.kubernetes.cri.container-type=container");
  EXPECT_FALSE(JoinOwnPodSandbox(member, {"ipc", Self("ns/ipc")}, runc_root_));
  EXPECT_TRUE(SealedJoinRefusal(member, {{"ipc", Self("ns/ipc")}}, runc_root_).has_value());
}

}  // namespace
}  // namespace verified
