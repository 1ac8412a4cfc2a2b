#include "unit/faults/decide_fixture.h"

#include <fmt/format.h>
#include <sys/sysmacros.h>

#include "verifier/image/digest.h"
#include "verifier/registry/registration_store.h"

namespace verified::testing {

FaultDecideTest::FaultDecideTest() : tree_(tmp_ / "docker") {
  image_ = tree_.AddImage({"base", "app"}, {"app:1"});
  req_.bundle_dir = tmp_ / "bundle";
  req_.config_dir = tmp_ / "cfg";
  req_.state_dir = tmp_ / "state";
  req_.seal_dir = tmp_ / "seals";
  req_.mountinfo_path = tmp_ / "mountinfo";
  UseContainer("app:1");
  UsePolicy(R"({"default":"allow"})");
  Decision healthy = Decide(req_);
  EXPECT_TRUE(healthy.verdict.Allowed())
      << "the healthy fixture must be allowed: " << healthy.verdict.reason;
}

void FaultDecideTest::UseContainer(const std::string& typed) {
  container_ = tree_.AddContainer(image_, typed);
  WriteFile(req_.bundle_dir + "/config.json",
            R"({"root":{"path":")" + container_.rootfs + R"("},"process":{"args":["sh"]}})");
  const MountEntry m = tree_.MountFor(container_, image_);
  WriteFile(req_.mountinfo_path,
            "1 0 8:1 / / rw - ext4 /dev/vda rw\n" +
                fmt::format("100 1 {}:{} / {} rw,relatime - overlay overlay {}\n", major(m.dev),
                            minor(m.dev), m.mount_point, m.super_options));
  req_.container_id = container_.id;
}

void FaultDecideTest::UsePolicy(const std::string& text) {
  WriteFile(req_.config_dir + "/policy.json", text);
}

void FaultDecideTest::Register() {
  Registration r;
  r.name = "docker.io/library/app:1";
  r.image_id = image_.image_id;
  r.diff_ids = image_.diff_ids;
  r.chain_ids = image_.chain_ids;
  ASSERT_TRUE(RegistrationStore(req_.config_dir).Put(r).ok());
}

Decision FaultDecideTest::DecideAndRecord(const std::string& area, const std::string& fault) {
  Decision d = Decide(req_);
  FaultOutcome o = d.verdict.Allowed()                  ? FaultOutcome::kAllowed
                   : d.verdict.kind == RuleKind::kError ? FaultOutcome::kError
                                                        : FaultOutcome::kDeny;
  RecordFault(area, fault, o, d.verdict.reason, tmp_.path());
  return d;
}

std::string FaultDecideTest::LayerDir(size_t i) const {
  return tree_.root() + "/image/overlay2/layerdb/sha256/" +
         std::string(DigestHex(image_.chain_ids[i]));
}

}  // namespace verified::testing
