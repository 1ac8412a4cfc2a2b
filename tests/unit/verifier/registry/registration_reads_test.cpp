// RegistrationStore::reads(): the registration files a decision read and the digests of the
// bytes it read, which the decision log records so that each verdict can be checked afterwards
// against exactly the registration state it saw.
#include <gtest/gtest.h>

#include "unit/support/temp_dir.h"
#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"
#include "verifier/registry/registration_store.h"

namespace verified {
namespace {

Registration Make(const std::string& name, const std::string& seed) {
  Registration r;
  r.name = name;
  r.diff_ids = {"sha256:" + Sha256Hex(seed)};
  r.chain_ids = ChainIds(r.diff_ids);
  r.image_id = "sha256:" + Sha256Hex(name + seed);
  r.registered_at = "2026-01-01T00:00:00Z";
  r.registered_by = "test";
  r.engine = "docker";
  return r;
}

std::string ByName(const std::string& name) {
  return "images/by-name/" + Sha256Hex(name) + ".json";
}

TEST(RegistrationReads, NamesEachFileReadWithTheDigestOfItsBytes) {
  testing::TempDir tmp;
  auto r = Make("docker.io/library/app:1", "a");
  ASSERT_TRUE(RegistrationStore(tmp.path()).Put(r).ok());
  RegistrationStore reader(tmp.path());
  EXPECT_TRUE(reader.reads().empty());
  ASSERT_TRUE(*reader.FindByName(r.name));
  ASSERT_FALSE(*reader.FindByName("docker.io/library/other:1"));
  std::string bytes = testing::ReadFile(tmp / ByName(r.name));
  RegistrationReads want{{ByName(r.name), {Sha256Digest(bytes)}},
                         {ByName("docker.io/library/other:1"), {std::nullopt}}};
  EXPECT_EQ(reader.reads(), want);
  // The same answer again is not listed twice.
  ASSERT_TRUE(*reader.FindByName(r.name));
  EXPECT_EQ(reader.reads(), want);
}

TEST(RegistrationReads, ChainIndexReadsAreListedToo) {
  testing::TempDir tmp;
  auto r = Make("docker.io/library/app:1", "a");
  ASSERT_TRUE(RegistrationStore(tmp.path()).Put(r).ok());
  RegistrationStore reader(tmp.path());
  ASSERT_EQ(reader.FindByChain(r.TopChainId())->size(), 1u);
  std::string chain = "images/by-chain/" + std::string(DigestHex(r.TopChainId())) + ".json";
  ASSERT_EQ(reader.reads().count(chain), 1u);
  EXPECT_EQ(reader.reads().at(chain),
            std::vector<std::optional<std::string>>{Sha256Digest(testing::ReadFile(tmp / chain))});
  EXPECT_EQ(reader.reads().count(ByName(r.name)), 1u);
}

TEST(RegistrationReads, AFileThatChangedBetweenReadsHasEveryAnswerInOrder) {
  testing::TempDir tmp;
  auto r = Make("docker.io/library/app:1", "a");
  RegistrationStore writer(tmp.path());
  RegistrationStore reader(tmp.path());
  ASSERT_FALSE(*reader.FindByName(r.name));
  ASSERT_TRUE(writer.Put(r).ok());
  std::string first = Sha256Digest(testing::ReadFile(tmp / ByName(r.name)));
  ASSERT_TRUE(*reader.FindByName(r.name));
  ASSERT_TRUE(*writer.Remove(r.name));
  ASSERT_FALSE(*reader.FindByName(r.name));
  EXPECT_EQ(reader.reads().at(ByName(r.name)),
            (std::vector<std::optional<std::string>>{std::nullopt, first, std::nullopt}));
}

}  // namespace
}  // namespace verified
