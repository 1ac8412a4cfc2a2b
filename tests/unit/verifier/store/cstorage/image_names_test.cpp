#include "verifier/store/cstorage/image_names.h"

#include <gtest/gtest.h>

#include "fake_graphroot.h"
#include "verifier/store/cstorage/cstorage_store.h"
#include "verifier/store/cstorage/graphroot.h"

namespace verified {
namespace {

using testing::FakeCsContainer;
using testing::FakeGraphRoot;
using testing::FakeCsImage;

// CRI-O and Podman name claims against a real (fake) graph root with two images.
class ImageNamesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    trusted_ = root_.AddImage("trusted", 2, {"registry.example.com/team/trusted:1"});
    evil_ = root_.AddImage("evil", 2, {"docker.io/library/evil:latest"});
    ctr_ = root_.AddContainer(evil_, "docker.io/library/evil:latest");
    root_.Flush();
    mounts_ = root_.Mounts(ctr_, evil_);
  }

  ResolvedImage Resolve(std::map<std::string, std::string> annotations) {
    spec_.annotations = std::move(annotations);
    ContainerContext ctx{ctr_.id, "/bundle", &spec_, ctr_.rootfs, &mounts_};
    auto r = ContainersStorageStore().Resolve(ctx);
    EXPECT_TRUE(r.ok()) << r.error().What();
    return r.ok() && r->has_value() ? **r : ResolvedImage();
  }

  FakeGraphRoot root_;
  FakeCsImage trusted_, evil_;
  FakeCsContainer ctr_;
  std::vector<MountEntry> mounts_;
  Spec spec_;
};

TEST_F(ImageNamesTest, LyingCrioNameIsNotUsed) {
  auto img = Resolve({{cstorage::kCrioImageNameAnnotation, "registry.example.com/team/trusted:1"},
                      {cstorage::kCrioImageAnnotation, "registry.example.com/team/trusted:1"}});
  // Storage says the image is evil: the metadata name is confirmed, the annotation is not.
  EXPECT_EQ(img.typed_reference, "docker.io/library/evil:latest");
  EXPECT_TRUE(img.typed_confirmed);
  EXPECT_EQ(img.names, std::vector<std::string>{"docker.io/library/evil:latest"});
}

TEST_F(ImageNamesTest, LyingImageRefDisablesCrioAnnotations) {
  root_.containers[0]["metadata"] = "{}";
  root_.Flush();
  auto img = Resolve({{cstorage::kCrioImageRefAnnotation, trusted_.id},
                      {cstorage::kCrioImageAnnotation, "docker.io/library/evil:latest"}});
  EXPECT_FALSE(img.typed_confirmed);
  EXPECT_EQ(img.typed_reference, "");
  bool noted = false;
  for (const auto& n : img.notes) noted |= n.find("CRI-O image annotations ignored") != n.npos;
  EXPECT_TRUE(noted);
}

TEST_F(ImageNamesTest, TruthfulCrioAnnotationsAreConfirmed) {
  root_.containers[0]["metadata"] = "{}";
  root_.Flush();
  auto img = Resolve({{cstorage::kCrioImageRefAnnotation, "sha256:" + evil_.id},
                      {cstorage::kCrioImageAnnotation, "evil"}});
  EXPECT_TRUE(img.typed_confirmed);
  EXPECT_EQ(img.typed_reference, "evil");  // short name, normalised to docker.io/library/evil
}

TEST_F(ImageNamesTest, DigestReferenceNeedsAStoredManifest) {
  root_.containers[0]["metadata"] = "{}";
  root_.Flush();
  std::string by_digest = "docker.io/library/evil@" + evil_.manifest_digest;
  auto img = Resolve({{cstorage::kCrioImageAnnotation, by_digest}});
  EXPECT_TRUE(img.typed_confirmed);
  EXPECT_EQ(img.typed_reference, by_digest);
  // The trusted image's manifest digest is not one of this image's manifests.
  img = Resolve(
      {{cstorage::kCrioImageAnnotation, "docker.io/library/evil@" + trusted_.manifest_digest}});
  EXPECT_FALSE(img.typed_confirmed);
  // A manifest whose bytes were changed no longer proves its digest.
  root_.Write("overlay-images/" + evil_.id + "/" +
                  cstorage::BigDataFileName("manifest-" + evil_.manifest_digest),
              "{}");
  img = Resolve({{cstorage::kCrioImageAnnotation, by_digest}});
  EXPECT_FALSE(img.typed_confirmed);
}

TEST_F(ImageNamesTest, MovedTagIsShownButNotConfirmed) {
  // The tag moved to another image after the container was created (podman start later).
  root_.images[1].erase("names");
  root_.Flush();
  auto img = Resolve({});
  EXPECT_EQ(img.typed_reference, "docker.io/library/evil:latest");
  EXPECT_FALSE(img.typed_confirmed);
  EXPECT_TRUE(img.names.empty());
}

TEST_F(ImageNamesTest, ImageIdIsNotAName) {
  root_.containers[0]["metadata"] = "{}";
  root_.Flush();
  auto img = Resolve({{cstorage::kCrioImageAnnotation, evil_.id}});
  EXPECT_FALSE(img.typed_confirmed);
}

}  // namespace
}  // namespace verified
