#include "verifier/store/cstorage/records.h"

#include <gtest/gtest.h>

namespace verified::cstorage {
namespace {

const std::string kLayer = std::string(64, 'a');

TEST(CStorageRecords, EmptyAndNullMeanNoRecords) {
  for (const char* text : {"", "  \n", "null", "[]"}) {
    auto r = ParseLayers(text, "layers.json");
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_TRUE(r->empty());
  }
}

TEST(CStorageRecords, ParsesPodmanLayers) {
  // Shape written by Podman 4.3 (containers/storage layers.go).
  auto r = ParseLayers(
      R"([{"id":")" + kLayer +
          R"(","created":"2026-11-22T06:04:55Z","compressed-diff-digest":"sha256:)" + kLayer +
          R"(","diff-digest":"sha256:)" + kLayer +
          R"(","diff-size":1986560,"uidset":[0],"gidset":[0]},
                          {"id":"b","parent":")" +
          kLayer +
          R"(","names":["c-layer"],"flags":{"incomplete":true},"uidmap":[{"container_id":0,"host_id":1000,"size":1}]}])",
      "layers.json");
  ASSERT_TRUE(r.ok()) << r.error().What();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].diff_digest, "sha256:" + kLayer);
  EXPECT_FALSE((*r)[0].incomplete);
  EXPECT_EQ((*r)[1].parent, kLayer);
  EXPECT_TRUE((*r)[1].incomplete);
  EXPECT_TRUE((*r)[1].id_mapped);
}

TEST(CStorageRecords, RefusesMalformedRecords) {
  EXPECT_FALSE(ParseLayers("{}", "l").ok());
  EXPECT_FALSE(ParseLayers("[1]", "l").ok());
  EXPECT_FALSE(ParseLayers(R"([{"parent":"x"}])", "l").ok());          // no id
  EXPECT_FALSE(ParseLayers(R"([{"id":"a"},{"id":"a"}])", "l").ok());   // duplicate
  EXPECT_FALSE(ParseLayers(R"([{"id":"a","parent":7}])", "l").ok());   // wrong type
  EXPECT_FALSE(ParseImages(R"([{"id":"a","names":"x"}])", "i").ok());  // names not a list
  EXPECT_FALSE(ParseImages(R"([{"id":"a","names":[1]}])", "i").ok());
  EXPECT_FALSE(ParseContainers(R"([{"id":"a","metadata":{}}])", "c").ok());
  EXPECT_FALSE(ParseContainers(R"([{"id":")" + std::string(5000, 'x') + R"("}])", "c").ok());
}

TEST(CStorageRecords, ContainerMetadataImageName) {
  auto r = ParseContainers(
      R"([{"id":"c1","image":"i","layer":"l","metadata":"{\"image-name\":\"localhost/app:2\",\"image-id\":\"i\"}"},
          {"id":"c2","metadata":"not json"}])",
      "containers.json");
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_EQ((*r)[0].metadata_image_name, "localhost/app:2");
  EXPECT_EQ((*r)[1].metadata_image_name, "");  // unreadable metadata just means unknown
}

TEST(CStorageRecords, ImageBigData) {
  auto r = ParseImages(
      R"([{"id":"i","digest":"sha256:)" + kLayer +
          R"(","layer":"t","big-data-names":["manifest"],"big-data-digests":{"manifest":"sha256:x"},"mapped-layers":["m"]}])",
      "images.json");
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_EQ((*r)[0].top_layer, "t");
  EXPECT_EQ((*r)[0].big_data_digests.at("manifest"), "sha256:x");
  EXPECT_EQ((*r)[0].mapped_top_layers, std::vector<std::string>{"m"});
}

}  // namespace
}  // namespace verified::cstorage
