// One decision for every entry point: the same fixtures (a Docker overlay2 store and a bundle
// on disk) go through the runtime's create path (argv -> CreateRequestFor -> Decide), check
// (DecideImage), explain (Decide on an ExistingContainer) and audit (AuditContainers), and
// every verdict must be the same.
#include <gtest/gtest.h>
#include <sys/sysmacros.h>

#include "ctl/audit_run.h"
#include "shim/own_options.h"
#include "shim/runc_args.h"
#include "shim/runtime.h"
#include "unit/support/fake_docker_tree.h"
#include "unit/support/temp_dir.h"
#include "verifier/decision/decide.h"
#include "verifier/image/digest.h"
#include "verifier/policy/policy_file.h"
#include "verifier/registry/registration_store.h"
#include "verifier/store/stores.h"

namespace verified {
namespace {

using testing::WriteFile;

// What an entry point decided, reduced to what must agree.
struct Outcome3 {
  bool allowed = false;
  RuleKind kind = RuleKind::kError;
  std::string rule;
  bool operator==(const Outcome3&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Outcome3& o) {
  return os << (o.allowed ? "allowed" : "refused") << " by " << o.rule << " (kind "
            << static_cast<int>(o.kind) << ")";
}

Outcome3 Of(const Verdict& v) { return Outcome3{v.Allowed(), v.kind, v.rule}; }

class EntryPoints : public ::testing::Test {
 protected:
  EntryPoints() : tree_(tmp_ / "docker") {
    image_ = tree_.AddImage({"base", "app"}, {"app:1"});
    container_ = tree_.AddContainer(image_, "app:1");
    WriteFile(tmp_ / "bundle/config.json",
              R"({"root":{"path":")" + container_.rootfs + R"("},"process":{"args":["sh"]}})");
    MountEntry m = tree_.MountFor(container_, image_);
    WriteFile(tmp_ / "mountinfo",
              fmt::format("1 0 8:1 / / rw - ext4 /dev/vda rw\n100 1 {}:{} / {} rw,relatime - "
                          "overlay overlay {}\n",
                          major(m.dev), minor(m.dev), m.mount_point, m.super_options));
    testing::MakeDir(cfg_);
  }

  void Policy(const std::string& json) { WriteFile(cfg_ + "/policy.json", json); }
  void Register() {
    Registration r;
    r.name = "docker.io/library/app:1";
    r.image_id = image_.image_id;
    r.diff_ids = image_.diff_ids;
    r.chain_ids = image_.chain_ids;
    ASSERT_TRUE(RegistrationStore(cfg_).Put(r).ok());
  }
  // Rewrites the image config in the store: its bytes no longer hash to the image ID.
  void Tamper() {
    WriteFile(tree_.root() + "/image/overlay2/imagedb/content/sha256/" +
                  std::string(DigestHex(image_.image_id)),
              image_.config + " ");
  }

  // verified-runtime: its own options and runc's argv, as dockerd passes them.
  Outcome3 Runtime() {
    std::vector<std::string> args = {"--config-dir",  cfg_,          "--seal-dir", tmp_ / "seals",
                                     "--root",        tmp_ / "runc", "create",     "--bundle",
                                     tmp_ / "bundle", container_.id};
    auto own = shim::ParseOwnOptions(args, "");
    EXPECT_TRUE(own.ok());
    std::vector<std::string> runc(args.begin() + static_cast<long>(own->consumed), args.end());
    auto cl = shim::ParseRuncArgs(runc);
    EXPECT_TRUE(cl.ok());
    CreateRequest req = shim::CreateRequestFor(*cl, *own);
    req.mountinfo_path = tmp_ / "mountinfo";  // the fake tree is not really mounted
    return Of(Decide(req).verdict);
  }
  // verifiedctl check: the image as the store proves it, then DecideImage. An image that
  // cannot be proven is refused before any verdict (check exits 2).
  Outcome3 Check() {
    auto mounts = ReadMountinfo(tmp_ / "mountinfo");
    EXPECT_TRUE(mounts.ok());
    ContainerContext ctx{container_.id, "", nullptr, container_.rootfs, &*mounts};
    auto img = ResolveImage(ctx, AllStores());
    if (!img.ok()) return Outcome3{false, RuleKind::kError, "error"};
    return Of(DecideImage(cfg_, *img).verdict);
  }
  ExistingContainer Existing() {
    ExistingContainer e;
    e.container_id = container_.id;
    e.bundle_dir = tmp_ / "bundle";
    e.rootfs = container_.rootfs;
    e.running = true;
    e.config_dir = cfg_;
    e.seal_dir = tmp_ / "seals";
    e.mountinfo_path = tmp_ / "mountinfo";
    return e;
  }
  // verifiedctl explain.
  Outcome3 Explain() { return Of(Decide(Existing()).verdict); }
  // verifiedctl audit (policy mode).
  Outcome3 Audit() {
    auto policy = LoadPolicy(cfg_);
    EXPECT_TRUE(policy.ok());
    ctl::FoundContainer c;
    c.engine = "docker";
    c.id = container_.id;
    c.name = "app";
    c.image_typed = "app:1";
    c.rootfs = container_.rootfs;
    c.bundle = tmp_ / "bundle";
    c.running = true;
    ctl::AuditSettings s;
    s.policy = &*policy;
    s.config_dir = cfg_;
    s.seal_dir = tmp_ / "seals";
    s.mountinfo_path = tmp_ / "mountinfo";
    auto rows = ctl::AuditContainers({c}, s);
    EXPECT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].compliant, rows[0].verdict.decision == Action::kAllow);
    return Of(rows[0].verdict);
  }

  // Every entry point's outcome equals `want`.
  void ExpectAll(const Outcome3& want) {
    EXPECT_EQ(Runtime(), want) << "runtime";
    EXPECT_EQ(Explain(), want) << "explain";
    EXPECT_EQ(Audit(), want) << "audit";
    EXPECT_EQ(Check(), want) << "check";
  }

  testing::TempDir tmp_;
  std::string cfg_ = tmp_ / "cfg";
  testing::FakeDockerTree tree_;
  testing::FakeImage image_;
  testing::FakeContainer container_;
};

constexpr const char* kRequireRegistered =
    R"({"rules":[{"match":"app","action":"allow","require":{"registered":true}}]})";

TEST_F(EntryPoints, Allowed) {
  Policy(kRequireRegistered);
  Register();
  ExpectAll(Outcome3{true, RuleKind::kRule, "rule 1 'app'"});
}

TEST_F(EntryPoints, DeniedByRule) {
  Policy(R"({"default":"allow","rules":[{"match":"app","action":"deny"}]})");
  ExpectAll(Outcome3{false, RuleKind::kRule, "rule 1 'app'"});
}

TEST_F(EntryPoints, DeniedByBaseline) {
  Policy(R"({"default":"allow","baseline":{"healthcheck":true}})");
  ExpectAll(Outcome3{false, RuleKind::kBaseline, "the host baseline"});
}

TEST_F(EntryPoints, Unregistered) {
  Policy(kRequireRegistered);
  ExpectAll(Outcome3{false, RuleKind::kRule, "rule 1 'app'"});
}

TEST_F(EntryPoints, Tampered) {
  Policy(R"({"default":"allow"})");
  Register();
  Tamper();
  ExpectAll(Outcome3{false, RuleKind::kError, "error"});
}

}  // namespace
}  // namespace verified
