#include <gtest/gtest.h>

#include "ctl/image_source.h"

namespace verified::ctl {
namespace {

TEST(RegistrationNames, UsesTheEnginesSpellingOfAConfirmedName) {
  ResolvedImage img;
  img.image_id = "sha256:" + std::string(64, 'a');
  img.names = {"localhost/app:1", "localhost/alias:1"};
  img.typed_reference = "localhost/app:1";  // podman resolved the short name "app:1"
  img.typed_confirmed = true;
  auto names = RegistrationNames(img, "app:1");
  ASSERT_TRUE(names.ok()) << names.error().What();
  EXPECT_EQ(*names, std::vector<std::string>{"localhost/app:1"});
}

TEST(RegistrationNames, DockerTypedNameUnchanged) {
  ResolvedImage img;
  img.image_id = "sha256:" + std::string(64, 'a');
  img.names = {"docker.io/library/app:1"};
  img.typed_reference = "app:1";
  img.typed_confirmed = true;
  auto names = RegistrationNames(img, "app:1");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, std::vector<std::string>{"docker.io/library/app:1"});
}

TEST(RegistrationNames, AnIdRegistersEveryTag) {
  ResolvedImage img;
  img.image_id = "sha256:" + std::string(64, 'a');
  img.names = {"localhost/app:1", "localhost/alias:1"};
  auto names = RegistrationNames(img, std::string(64, 'a'));
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names->size(), 2u);
}

// Docker 29's containerd image store reports the index digest as the image Id; register must
// then read the config digest from containerd (issue 10: registered binds the config).
TEST(IsContainerdImageStore, FromDockerInfo) {
  EXPECT_TRUE(IsContainerdImageStore(nlohmann::json::parse(
      R"({"Driver":"overlayfs","DriverStatus":[["driver-type","io.containerd.snapshotter.v1"]]})")));
  EXPECT_FALSE(IsContainerdImageStore(nlohmann::json::parse(
      R"({"Driver":"overlay2","DriverStatus":[["Backing Filesystem","extfs"],["Supports d_type","true"]]})")));
  EXPECT_FALSE(IsContainerdImageStore(nlohmann::json::parse(R"({"DriverStatus":null})")));
  EXPECT_FALSE(IsContainerdImageStore(nlohmann::json::parse(R"([1])")));
}

}  // namespace
}  // namespace verified::ctl
