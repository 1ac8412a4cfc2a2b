// containerd's CRI plugin's own files (cri_files.h), as the containerd resolver lists them: the
// pod sandbox's hostname/hosts/resolv.conf dirs under containerd's root and its shm under
// containerd's state, for a Kubernetes container whose sandbox containerd's records prove; none
// for a plain `ctr run` container or a sandbox id containerd does not know as a sandbox.
#include "verifier/store/containerd/cri_files.h"

#include <gtest/gtest.h>

#include <climits>
#include <cstdlib>
#include <filesystem>

#include "fake_containerd.h"
#include "verifier/store/containerd/containerd_store.h"

namespace verified {
namespace {

using testing::FakeContainerd;
using testing::FakeCtdImage;

const std::string kSandbox(64, 'a');
const std::string kContainer(64, 'b');
constexpr const char* kCri = "io.containerd.grpc.v1.cri";

class CriFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_ = std::make_unique<FakeContainerd>(tmp_ / "root", "k8s.io");
    image_ = fake_->AddImage({"a"});
    fake_->TagImage("docker.io/library/app:1", image_);
  }
  // A task bundle for `id` (snapshot `id`, record labels `labels`), as containerd makes it.
  void AddTask(const std::string& id, std::map<std::string, std::string> labels) {
    fake_->AddSnapshot(id, image_.chain_ids.back(), 2);
    fake_->AddContainer(id, "docker.io/library/app:1", id, std::move(labels));
    std::string bundle = tmp_ / ("state/io.containerd.runtime.v2.task/k8s.io/" + id);
    std::filesystem::create_directories(bundle + "/rootfs");
    std::string work = tmp_ / ("root/io.containerd.runtime.v2.task/k8s.io/" + id);
    std::filesystem::create_directories(work);
    std::filesystem::create_symlink(work, bundle + "/work");
  }
  Result<std::optional<ResolvedImage>> Resolve(const std::string& id) {
    fake_->Write();
    ctx_.container_id = id;
    ctx_.bundle_dir = tmp_ / ("state/io.containerd.runtime.v2.task/k8s.io/" + id);
    ctx_.spec = &spec_;
    char buf[PATH_MAX];
    ctx_.rootfs = realpath((ctx_.bundle_dir + "/rootfs").c_str(), buf);
    return ContainerdStore().Resolve(ctx_);
  }
  EngineFiles FilesOf(const std::string& id) {
    auto r = Resolve(id);
    EXPECT_TRUE(r.ok() && r->has_value()) << (r.ok() ? "not mine" : r.error().What());
    return r.ok() && r->has_value() ? (*r)->engine_files : EngineFiles();
  }
  void AsCri(const std::string& type, const std::string& sandbox_id) {
    spec_.annotations[containerd::kAnnotationContainerType] = type;
    spec_.annotations[containerd::kAnnotationSandboxId] = sandbox_id;
  }

  testing::TempDir tmp_;
  std::unique_ptr<FakeContainerd> fake_;
  FakeCtdImage image_;
  Spec spec_;
  ContainerContext ctx_;
};

TEST_F(CriFilesTest, AContainerGetsItsSandboxsFiles) {
  AddTask(kSandbox, {{containerd::kLabelKind, "sandbox"}});
  AddTask(kContainer, {{containerd::kLabelKind, "container"}});
  AsCri("container", kSandbox);
  EngineFiles f = FilesOf(kContainer);
  EXPECT_EQ(
      f.container_dirs,
      (std::vector<std::string>{tmp_ / (std::string("root/") + kCri + "/sandboxes/" + kSandbox),
                                tmp_ / (std::string("state/") + kCri + "/sandboxes/" + kSandbox)}));
  EXPECT_EQ(f.volume_dirs,
            std::vector<std::string>{
                tmp_ / (std::string("root/") + kCri + "/containers/" + kContainer + "/volumes")});
  EXPECT_TRUE(f.container_files.empty());
  EXPECT_EQ(f.container_layer, "");
}

TEST_F(CriFilesTest, TheSandboxGetsItsOwn) {
  AddTask(kSandbox, {{containerd::kLabelKind, "sandbox"}});
  AsCri("sandbox", kSandbox);
  EngineFiles f = FilesOf(kSandbox);
  ASSERT_EQ(f.container_dirs.size(), 2u);
  EXPECT_EQ(f.container_dirs[1], tmp_ / (std::string("state/") + kCri + "/sandboxes/" + kSandbox));
}

TEST_F(CriFilesTest, PlainCtrRunBindsNothingOfContainerds) {
  AddTask(kContainer, {});
  spec_.annotations[containerd::kAnnotationSandboxId] = kSandbox;  // ignored: not CRI's
  EngineFiles f = FilesOf(kContainer);
  EXPECT_TRUE(f.container_dirs.empty());
  EXPECT_TRUE(f.volume_dirs.empty());
}

// The sandbox id is an annotation the caller writes: it counts only when containerd's records
// say that container is a sandbox of the same namespace.
TEST_F(CriFilesTest, AnUnprovenSandboxIdListsNothing) {
  AddTask(kSandbox, {{containerd::kLabelKind, "container"}});  // not a sandbox
  AddTask(kContainer, {{containerd::kLabelKind, "container"}});
  AsCri("container", kSandbox);
  auto r = Resolve(kContainer);
  ASSERT_TRUE(r.ok() && r->has_value()) << (r.ok() ? "not mine" : r.error().What());
  EXPECT_TRUE((*r)->engine_files.container_dirs.empty());
  EXPECT_NE(::testing::PrintToString((*r)->notes).find("is not a sandbox"), std::string::npos);
  AsCri("container", std::string(64, 'f'));  // no such record
  EXPECT_TRUE(FilesOf(kContainer).container_dirs.empty());
  AsCri("container", "../../../../etc");  // not an id at all
  EXPECT_TRUE(FilesOf(kContainer).container_dirs.empty());
}

TEST_F(CriFilesTest, ASandboxNamingAnotherSandboxListsNothing) {
  AddTask(kSandbox, {{containerd::kLabelKind, "sandbox"}});
  AddTask(kContainer, {{containerd::kLabelKind, "sandbox"}});
  AsCri("sandbox", kSandbox);
  EXPECT_TRUE(FilesOf(kContainer).container_dirs.empty());
}

}  // namespace
}  // namespace verified
