#include "verifier/bundle/spec_keys.h"

#include <gtest/gtest.h>

#include "unit/verifier/checks/docker_spec_fixture.h"

namespace verified {
namespace {

std::string Message(const char* text) {
  auto st = CheckSpecKeySpelling(nlohmann::json::parse(text));
  return st.ok() ? std::string("accepted") : st.error().What();
}

TEST(OciFieldMisspelledAs, NamesTheFieldGoWouldDecodeInto) {
  EXPECT_EQ(OciFieldMisspelledAs("Mounts"), "mounts");
  EXPECT_EQ(OciFieldMisspelledAs("OCIVERSION"), "ociVersion");
  EXPECT_EQ(OciFieldMisspelledAs("mas\xE2\x84\xAA"
                                 "edPaths"),
            "maskedPaths");
  EXPECT_EQ(OciFieldMisspelledAs("noNewPrivileges"), "");  // exact
  EXPECT_EQ(OciFieldMisspelledAs("x-custom"), "");         // no field: Go ignores it too
}

TEST(CheckSpecKeySpelling, RefusesAFieldSpelledOtherwiseAnywhere) {
  EXPECT_EQ(Message(R"({"root":{"path":"r"},"Mounts":[{"source":"/","destination":"/h"}]})"),
            "config.json: the top-level object has key \"Mounts\", which runc's decoder takes "
            "for the OCI field \"mounts\" (it matches keys case-insensitively) while verified "
            "reads \"mounts\" only: refused");
  EXPECT_EQ(Message(R"({"mounts":[{"destination":"/h","Source":"/"}]})").substr(0, 49),
            "config.json: object at /mounts/0 has key \"Source\"");
  EXPECT_NE(Message(R"({"process":{"user":{"UID":0}}})"), "accepted");
  EXPECT_NE(Message(R"({"linux":{"seccomp":{"defaultaction":"SCMP_ACT_ALLOW"}}})"), "accepted");
}

TEST(CheckSpecKeySpelling, MapKeysAreDataNotFields) {
  EXPECT_EQ(Message(R"({"annotations":{"Path":"x","Mounts":"y"},
                        "linux":{"sysctl":{"Type":"1"},"resources":{"unified":{"Limit":"1"}}}})"),
            "accepted");
  EXPECT_EQ(Message(R"({"linux":{"netDevices":{"Name":{"name":"eth1"}}}})"), "accepted");
}

TEST(CheckSpecKeySpelling, AcceptsTheSpecDockerWrites) {
  EXPECT_TRUE(CheckSpecKeySpelling(testing::DockerSpec("/var/lib/docker", "c0ffee")).ok());
}

}  // namespace
}  // namespace verified
