// Faults of the policy file and the registrations: each is tried against the real create
// decision on a tree it otherwise allows, and recorded for docs/faults.md.
#include <sys/stat.h>
#include <unistd.h>

#include "unit/faults/decide_fixture.h"
#include "verifier/crypto/sha256.h"

namespace verified::testing {
namespace {

constexpr const char* kPolicyArea = "policy";
constexpr const char* kRegArea = "registrations";
constexpr const char* kRegisteredPolicy =
    R"({"rules":[{"match":"app","action":"allow","require":{"registered":true}}]})";

using FaultsPolicy = FaultDecideTest;

TEST_F(FaultsPolicy, Missing) {
  ASSERT_EQ(unlink((req_.config_dir + "/policy.json").c_str()), 0);
  DecideAndRecord(kPolicyArea, "policy.json missing");
}

TEST_F(FaultsPolicy, Empty) {
  UsePolicy("");
  DecideAndRecord(kPolicyArea, "policy.json empty (0 bytes)");
}

TEST_F(FaultsPolicy, Truncated) {
  std::string full = R"({"default":"allow","rules":[{"match":"app","action":"allow"}]})";
  UsePolicy(full.substr(0, full.size() / 2));
  DecideAndRecord(kPolicyArea, "policy.json truncated mid-write (half of a valid allow policy)");
}

TEST_F(FaultsPolicy, Malformed) {
  UsePolicy(R"({"default":"alow"})");
  DecideAndRecord(kPolicyArea, "policy.json malformed (\"default\":\"alow\")");
}

TEST_F(FaultsPolicy, NotRootOwned) {
  ASSERT_EQ(chown((req_.config_dir + "/policy.json").c_str(), 12345, 12345), 0);
  DecideAndRecord(kPolicyArea, "policy.json owned by uid 12345");
}

TEST_F(FaultsPolicy, WritableByOthers) {
  ASSERT_EQ(chmod((req_.config_dir + "/policy.json").c_str(), 0666), 0);
  DecideAndRecord(kPolicyArea, "policy.json mode 0666 (writable by others)");
}

TEST_F(FaultsPolicy, WritableByGroup) {
  ASSERT_EQ(chmod((req_.config_dir + "/policy.json").c_str(), 0664), 0);
  DecideAndRecord(kPolicyArea, "policy.json mode 0664 (writable by group)");
}

TEST_F(FaultsPolicy, ConfigDirWritableByOthers) {
  ASSERT_EQ(chmod(req_.config_dir.c_str(), 0777), 0);
  DecideAndRecord(kPolicyArea, "config dir mode 0777");
}

TEST_F(FaultsPolicy, Symlink) {
  WriteFile(tmp_ / "elsewhere/policy.json", R"({"default":"allow"})");
  ASSERT_EQ(unlink((req_.config_dir + "/policy.json").c_str()), 0);
  ASSERT_EQ(
      symlink((tmp_ / "elsewhere/policy.json").c_str(), (req_.config_dir + "/policy.json").c_str()),
      0);
  DecideAndRecord(kPolicyArea, "policy.json a symlink to a root-owned allow policy");
}

TEST_F(FaultsPolicy, Directory) {
  ASSERT_EQ(unlink((req_.config_dir + "/policy.json").c_str()), 0);
  MakeDir(req_.config_dir + "/policy.json");
  DecideAndRecord(kPolicyArea, "policy.json a directory");
}

class FaultsRegistrations : public FaultDecideTest {
 protected:
  FaultsRegistrations() {
    UsePolicy(kRegisteredPolicy);
    Register();
    EXPECT_TRUE(Decide(req_).verdict.Allowed()) << "registered app:1 must be allowed";
  }
  std::string Record() const {
    return req_.config_dir + "/images/by-name/" + Sha256Hex("docker.io/library/app:1") + ".json";
  }
};

TEST_F(FaultsRegistrations, Truncated) {
  std::string full = ReadFile(Record());
  ASSERT_FALSE(full.empty());
  WriteFile(Record(), full.substr(0, full.size() / 2));
  DecideAndRecord(kRegArea, "registration record truncated to half");
}

TEST_F(FaultsRegistrations, Corrupted) {
  std::string text = ReadFile(Record());
  size_t at = text.find("sha256:");
  ASSERT_NE(at, std::string::npos);
  text[at + 10] = text[at + 10] == '0' ? '1' : '0';  // one digest digit flipped
  WriteFile(Record(), text);
  DecideAndRecord(kRegArea, "registration record with one digest digit flipped");
}

TEST_F(FaultsRegistrations, Garbage) {
  WriteFile(Record(), std::string("\0\xff\x01garbage", 10));
  DecideAndRecord(kRegArea, "registration record replaced by binary garbage");
}

TEST_F(FaultsRegistrations, WritableByOthers) {
  ASSERT_EQ(chmod(Record().c_str(), 0666), 0);
  DecideAndRecord(kRegArea, "registration record mode 0666");
}

TEST_F(FaultsRegistrations, ChainIndexTruncated) {
  // A container started by image ID: its registered name is found through the chain index.
  UseContainer(image_.image_id);
  ASSERT_TRUE(Decide(req_).verdict.Allowed()) << "registered by chain, started by ID";
  std::string path = req_.config_dir + "/images/by-chain/" +
                     std::string(image_.chain_ids.back()).substr(7) + ".json";
  std::string full = ReadFile(path);
  ASSERT_FALSE(full.empty());
  WriteFile(path, full.substr(0, full.size() / 2));
  DecideAndRecord(kRegArea, "by-chain index truncated to half (container started by image ID)");
}

}  // namespace
}  // namespace verified::testing
