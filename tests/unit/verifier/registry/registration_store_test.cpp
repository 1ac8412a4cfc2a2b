#include "verifier/registry/registration_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "unit/support/temp_dir.h"
#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"
#include "verifier/image/reference.h"

namespace verified {
namespace {

Registration MakeRegistration(const std::string& name, const std::vector<std::string>& seeds) {
  Registration r;
  r.name = name;
  for (const auto& s : seeds) r.diff_ids.push_back("sha256:" + Sha256Hex(s));
  r.chain_ids = ChainIds(r.diff_ids);
  r.image_id = "sha256:" + Sha256Hex(name);
  r.registered_at = "2026-01-01T00:00:00Z";
  r.registered_by = "test";
  r.engine = "docker";
  return r;
}

TEST(RegistrationStore, PutFindRemove) {
  testing::TempDir tmp;
  RegistrationStore store(tmp.path());
  auto r = MakeRegistration("docker.io/library/app:1", {"a", "b"});
  ASSERT_TRUE(store.Put(r).ok());
  auto found = store.FindByName(r.name);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(*found);
  EXPECT_EQ((*found)->chain_ids, r.chain_ids);
  auto by_chain = store.FindByChain(r.TopChainId());
  ASSERT_TRUE(by_chain.ok());
  ASSERT_EQ(by_chain->size(), 1u);
  EXPECT_EQ((*by_chain)[0].name, r.name);
  EXPECT_FALSE(*store.FindByName("docker.io/library/other:1"));
  ASSERT_TRUE(*store.Remove(r.name));
  EXPECT_FALSE(*store.FindByName(r.name));
  EXPECT_TRUE(store.FindByChain(r.TopChainId())->empty());
  EXPECT_FALSE(*store.Remove(r.name));
}

TEST(RegistrationStore, ReRegisteringMovesTheChainIndex) {
  testing::TempDir tmp;
  RegistrationStore store(tmp.path());
  auto old = MakeRegistration("docker.io/library/app:1", {"a"});
  auto rebuilt = MakeRegistration("docker.io/library/app:1", {"a", "b"});
  ASSERT_TRUE(store.Put(old).ok());
  ASSERT_TRUE(store.Put(rebuilt).ok());
  EXPECT_TRUE(store.FindByChain(old.TopChainId())->empty());
  EXPECT_EQ(store.FindByChain(rebuilt.TopChainId())->size(), 1u);
  EXPECT_EQ(store.List()->size(), 1u);
}

TEST(RegistrationStore, CorruptRecordIsAnErrorNotAbsence) {
  testing::TempDir tmp;
  RegistrationStore store(tmp.path());
  auto r = MakeRegistration("docker.io/library/app:1", {"a"});
  ASSERT_TRUE(store.Put(r).ok());
  testing::WriteFile(tmp / ("images/by-name/" + Sha256Hex(r.name) + ".json"), "{\"name\": 1");
  EXPECT_FALSE(store.FindByName(r.name).ok());
}

TEST(RegistrationStore, RecordClaimingAnotherChainIsRejected) {
  auto r = MakeRegistration("docker.io/library/app:1", {"a", "b"});
  auto j = RegistrationToJson(r);
  j["chain_ids"][1] = "sha256:" + std::string(64, 'f');
  EXPECT_FALSE(RegistrationFromJson(j).ok());
  j = RegistrationToJson(r);
  j["name"] = "app:1";  // not normalised
  EXPECT_FALSE(RegistrationFromJson(j).ok());
}

TEST(Registration, ConfigAndLayersOnlyRoundTrip) {
  auto r = MakeRegistration("docker.io/library/app:1", {"a"});
  r.layers_only = true;
  r.config = {{"Entrypoint", {"/app"}}, {"Env", {"A=1"}}, {"created", "2026-01-01T00:00:00Z"}};
  auto back = RegistrationFromJson(RegistrationToJson(r));
  ASSERT_TRUE(back.ok()) << back.error().What();
  EXPECT_TRUE(back->layers_only);
  EXPECT_EQ(back->config, r.config);
  // A record of an earlier version: no layers_only, no config.
  auto j = RegistrationToJson(MakeRegistration("docker.io/library/app:1", {"a"}));
  j.erase("layers_only");
  back = RegistrationFromJson(j);
  ASSERT_TRUE(back.ok()) << back.error().What();
  EXPECT_FALSE(back->layers_only);
  EXPECT_TRUE(back->config.is_null());
}

TEST(Registration, ParserIsStrict) {
  auto r = MakeRegistration("docker.io/library/app:1", {"a"});
  auto bad = [&](const char* key, nlohmann::json value) {
    auto j = RegistrationToJson(r);
    j[key] = std::move(value);
    return !RegistrationFromJson(j).ok();
  };
  EXPECT_TRUE(bad("layers_only", "yes"));
  EXPECT_TRUE(bad("repo_digests", {1}));
  EXPECT_TRUE(bad("repo_digests", "x"));
  EXPECT_TRUE(bad("config", {{"Hostname", "x"}}));
  EXPECT_TRUE(bad("config", {{"Env", "A=1"}}));
  EXPECT_TRUE(bad("config", "x"));
  EXPECT_TRUE(bad("allow_everything", true));  // unknown keys are errors
  EXPECT_TRUE(bad("image_id", "sha256:short"));
  nlohmann::json many = nlohmann::json::array();
  for (size_t i = 0; i <= kMaxRepoDigests; ++i) many.push_back("x");
  EXPECT_TRUE(bad("repo_digests", many));
}

// Issue 10: a registration allows containers, so its files and directories must be trusted as
// policy.json is; anything else refuses, naming the file and the fix.
class UntrustedRegistration : public ::testing::Test {
 protected:
  UntrustedRegistration()
      : store_(tmp_.path()), r_(MakeRegistration("docker.io/library/app:1", {"a"})) {
    EXPECT_TRUE(store_.Put(r_).ok());
    record_ = tmp_ / ("images/by-name/" + Sha256Hex(r_.name) + ".json");
    index_ = tmp_ / ("images/by-chain/" + std::string(DigestHex(r_.TopChainId())) + ".json");
  }

  // FindByName, FindByChain and List all refuse, with `needle` in the message.
  void ExpectRefused(const std::string& needle) {
    auto by_name = store_.FindByName(r_.name);
    ASSERT_FALSE(by_name.ok());
    EXPECT_EQ(by_name.error().kind(), ErrorKind::kPermission);
    EXPECT_NE(by_name.error().What().find(needle), std::string::npos) << by_name.error().What();
    EXPECT_FALSE(store_.FindByChain(r_.TopChainId()).ok());
    EXPECT_FALSE(store_.List().ok());
  }

  testing::TempDir tmp_;
  RegistrationStore store_;
  Registration r_;
  std::string record_, index_;
};

TEST_F(UntrustedRegistration, TrustedFilesAreRead) {
  EXPECT_TRUE(*store_.FindByName(r_.name));
  EXPECT_EQ(store_.FindByChain(r_.TopChainId())->size(), 1u);
  EXPECT_EQ(store_.List()->size(), 1u);
}

TEST_F(UntrustedRegistration, GroupWritableRecord) {
  ASSERT_EQ(chmod(record_.c_str(), 0664), 0);
  ExpectRefused(record_ + " is writable by its group; fix with: chmod go-w " + record_);
}

TEST_F(UntrustedRegistration, RecordOwnedByAnotherUser) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  ASSERT_EQ(chown(record_.c_str(), 4321, 4321), 0);
  ExpectRefused("is owned by uid 4321; fix with: chown root " + record_);
}

TEST_F(UntrustedRegistration, SymlinkedRecord) {
  ASSERT_EQ(rename(record_.c_str(), (tmp_ / "elsewhere.json").c_str()), 0);
  ASSERT_EQ(symlink((tmp_ / "elsewhere.json").c_str(), record_.c_str()), 0);
  auto by_name = store_.FindByName(r_.name);
  ASSERT_FALSE(by_name.ok());
  EXPECT_NE(by_name.error().What().find("is a symlink"), std::string::npos)
      << by_name.error().What();
  EXPECT_FALSE(store_.List().ok());
}

TEST_F(UntrustedRegistration, WritableDirectories) {
  for (const char* dir : {"images", "images/by-name"}) {
    std::string path = tmp_ / dir;
    ASSERT_EQ(chmod(path.c_str(), 0777), 0);
    ExpectRefused(path + " is writable by everyone; fix with: chmod go-w " + path);
    ASSERT_EQ(chmod(path.c_str(), 0755), 0);
  }
  std::string by_chain = tmp_ / "images/by-chain";
  ASSERT_EQ(chmod(by_chain.c_str(), 0775), 0);
  EXPECT_FALSE(store_.FindByChain(r_.TopChainId()).ok());
  ASSERT_EQ(chmod(by_chain.c_str(), 0755), 0);
  ASSERT_EQ(chmod(index_.c_str(), 0666), 0);
  auto by_chain_read = store_.FindByChain(r_.TopChainId());
  ASSERT_FALSE(by_chain_read.ok());
  EXPECT_NE(by_chain_read.error().What().find("chmod go-w " + index_), std::string::npos);
}

TEST_F(UntrustedRegistration, AbsentStoreIsEmptyNotAnError) {
  testing::TempDir empty;
  RegistrationStore store(empty.path());
  EXPECT_FALSE(*store.FindByName(r_.name));
  EXPECT_TRUE(store.FindByChain(r_.TopChainId())->empty());
  EXPECT_TRUE(store.List()->empty());
}

// Issue #2: 100 concurrent registrations lose nothing, and a reader never sees a half-written
// record. Separate processes, as 100 `verifiedctl register` calls would be.
TEST(RegistrationStore, HundredConcurrentWritersLoseNothing) {
  testing::TempDir tmp;
  RegistrationStore store(tmp.path());
  std::atomic<bool> stop{false};
  std::atomic<int> bad_reads{0};
  auto shared = MakeRegistration("docker.io/library/shared:1", {"shared"});
  std::thread reader([&] {
    while (!stop) {
      auto all = store.List();
      if (!all.ok()) ++bad_reads;
      auto one = store.FindByChain(shared.TopChainId());
      if (!one.ok()) ++bad_reads;
    }
  });
  std::vector<pid_t> kids;
  for (int i = 0; i < 100; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Half the writers register distinct names, half register names sharing one chain, so
      // the by-chain index is contended.
      auto r = i % 2 == 0 ? MakeRegistration("docker.io/library/app" + std::to_string(i) + ":1",
                                             {"layer" + std::to_string(i)})
                          : MakeRegistration("docker.io/library/shared" + std::to_string(i) + ":1",
                                             {"shared"});
      _exit(store.Put(r).ok() ? 0 : 1);
    }
    kids.push_back(pid);
  }
  for (pid_t pid : kids) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  stop = true;
  reader.join();
  EXPECT_EQ(bad_reads.load(), 0);
  EXPECT_EQ(store.List()->size(), 100u);
  EXPECT_EQ(store.FindByChain(shared.TopChainId())->size(), 50u);
}

// Records written before registry hosts were case-folded keep the host as it was written:
// they must still parse (a record that does not fails every decision reading its chain).
TEST(RegistrationStore, RecordsWithAnOlderHostSpellingStillParse) {
  testing::TempDir tmp;
  RegistrationStore store(tmp.path());
  for (const char* name :
       {"Registry.Example.com/x:1", "registry-1.docker.io/alpine:1", "INDEX.DOCKER.IO/alpine:1",
        "registry-1.docker.io/library/alpine:2", "REGISTRY-1.docker.io/team/app:2"}) {
    auto r = MakeRegistration(name, {name});
    ASSERT_TRUE(store.Put(r).ok()) << name;  // what the older verifiedctl wrote
    auto found = store.FindByName(name);
    ASSERT_TRUE(found.ok()) << name << ": " << found.error().What();
    ASSERT_TRUE(*found);
    auto by_chain = store.FindByChain(r.TopChainId());
    ASSERT_TRUE(by_chain.ok()) << by_chain.error().What();
    ASSERT_EQ(by_chain->size(), 1u);
  }
  EXPECT_TRUE(store.List().ok());
  EXPECT_EQ(ParseReference((*store.FindByName("INDEX.DOCKER.IO/alpine:1"))->name)->String(),
            "docker.io/library/alpine:1");
  // Any other departure from the normalised form is still refused.
  for (const char* name : {"docker.io/alpine:1", "Registry.Example.com/x", "alpine:1",
                           "Registry.Example.com/Team/x:1", "Registry.Example.com//x:1"}) {
    auto r = MakeRegistration(name, {name});
    ASSERT_TRUE(store.Put(r).ok());
    EXPECT_FALSE(store.FindByName(r.name).ok()) << r.name;
  }
}

}  // namespace
}  // namespace verified
