// The no_shell and sealed requirements as the policy evaluates them: built from their policy
// values, checked against an image whose layers are real directories.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "unit/support/temp_dir.h"
#include "unit/verifier/checks/docker_spec_fixture.h"
#include "unit/verifier/content/layer_fixture.h"
#include "verifier/bundle/spec.h"
#include "verifier/checks/catalog.h"

namespace verified {
namespace {

using testing::LayerFixture;

class Requirements : public ::testing::Test {
 protected:
  Requirements() : regs_("/nonexistent/verified-config") {}
  void SetUp() override {
    auto l0 = layers_.AddLayer();
    layers_.File(l0, "app/canary",
                 "\x7f"
                 "ELF the app",
                 0755);
    layers_.File(l0, "etc/passwd", "root:x:0:0::/:/x\napp:x:1000:1000::/:/x\n");
    layers_.File(l0, "etc/group", "app:x:1000:\n");
    image_ = layers_.Image();
    image_.config = nlohmann::json::parse(R"({"config": {"Entrypoint": ["/app/canary"],
        "Cmd": ["serve"], "User": "app", "WorkingDir": ""}, "rootfs": {"type": "layers"}})");
  }
  Finding Check(const char* name, const nlohmann::json& value, const Spec* spec = nullptr) {
    auto req = MakeRequirement(name, value);
    EXPECT_TRUE(req.ok()) << req.error().What();
    CheckContext ctx{image_, nullptr, false, nullptr, spec, regs_};
    return (*req)->Check(ctx);
  }

  LayerFixture layers_;
  ResolvedImage image_;
  RegistrationStore regs_;
};

TEST_F(Requirements, NoShellPassesAShelllessImage) {
  Finding f = Check("no_shell", true);
  EXPECT_EQ(f.outcome, Outcome::kPass) << f.message;
  EXPECT_NE(f.message.find("no shell in the 3 files of 1 layers"), std::string::npos);
}

TEST_F(Requirements, NoShellListsEveryShell) {
  auto l1 = layers_.AddLayer();
  layers_.Symlink(l1, "bin/sh", "/app/canary");
  layers_.File(l1, "usr/bin/perl5.36",
               "\x7f"
               "ELF perl",
               0755);
  image_.layers = layers_.layers();
  Finding f = Check("no_shell", nlohmann::json::array({"perl"}));
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_EQ(f.message,
            "the image contains 2 shells: /bin/sh (shell name, symlink to /app/canary), "
            "/usr/bin/perl5.36 (interpreter 'perl' listed in the policy)");
}

TEST_F(Requirements, NoShellFailsClosedWithoutLayers) {
  image_.layers.clear();
  image_.image_id += "-nolayers";
  Finding f = Check("no_shell", true);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("cannot look through the image's layers"), std::string::npos);
}

TEST_F(Requirements, SealedWithoutSpecSaysWhatItWouldRefuse) {
  Finding f = Check("sealed", true);
  EXPECT_EQ(f.outcome, Outcome::kNotEvaluated);
  for (const char* part :
       {"exec into its containers", "an entrypoint other than [\"/app/canary\"]",
        "arguments other than [\"/app/canary\",\"serve\"]",
        "a user other than 'app' (uid 1000, gid 1000)", "mounts over or inside /app",
        "a seccomp profile allowing ptrace, process_vm_readv, process_vm_writev"}) {
    EXPECT_NE(f.message.find(part), std::string::npos) << part << " in " << f.message;
  }
}

TEST_F(Requirements, SealedJudgesTheSpec) {
  Spec spec;
  spec.raw = testing::DockerSpec("/nonexistent-data-root", std::string(64, 'c'));
  spec.raw["mounts"] = nlohmann::json::array();  // no engine files to resolve here
  Finding ok = Check("sealed", true, &spec);
  EXPECT_EQ(ok.outcome, Outcome::kPass) << ok.message;
  spec.raw["process"]["args"] = {"sh"};
  spec.raw["process"]["user"] = {{"uid", 0}, {"gid", 0}};
  Finding bad = Check("sealed", true, &spec);
  EXPECT_EQ(bad.outcome, Outcome::kFail);
  EXPECT_EQ(bad.message,
            "sealed image: entrypoint [\"sh\"] differs from the image's [\"/app/canary\"] (a "
            "sealed image runs only its own entrypoint); user uid 0 gid 0 differs from the "
            "image's user 'app' (uid 1000, gid 1000)");
}

// The container layer to inspect is the one the store resolver named, whatever the engine: a
// layer holding code refuses the container; none named, none inspected.
TEST_F(Requirements, SealedInspectsTheLayerTheStoreNames) {
  Spec spec;
  spec.raw = testing::DockerSpec("/nonexistent-data-root", std::string(64, 'c'));
  spec.raw["mounts"] = nlohmann::json::array();
  testing::TempDir upper;
  std::filesystem::create_directories(upper / "app");
  std::ofstream(upper / "app/canary") << "replaced";  // docker cp over the entrypoint
  image_.engine = "some-engine";
  EXPECT_EQ(Check("sealed", true, &spec).outcome, Outcome::kPass);  // no layer named
  image_.engine_files.container_layer = upper.path();
  Finding f = Check("sealed", true, &spec);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("the container's own layer adds or replaces code since the image was "
                           "made (docker cp into a stopped container?): /app/canary"),
            std::string::npos)
      << f.message;
}

TEST_F(Requirements, SealedImageUserMissingFromPasswd) {
  image_.config["config"]["User"] = "ghost";
  Finding f = Check("sealed", true);
  EXPECT_NE(f.message.find("every user (the image's user 'ghost' is not in its /etc/passwd)"),
            std::string::npos);
}

}  // namespace
}  // namespace verified
