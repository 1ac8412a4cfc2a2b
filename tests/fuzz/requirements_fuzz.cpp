// Fuzz target: every requirement evaluated on an untrusted OCI spec and image config
// (verifier/checks/*). The input is parsed once as config.json and once as an image config;
// no requirement may crash, hang or throw on either.
#include <cstdint>
#include <string_view>

#include "verifier/bundle/spec.h"
#include "verifier/checks/catalog.h"
#include "verifier/core/json.h"
#include "verifier/registry/registration_store.h"

namespace {

const std::vector<verified::RequirementPtr>& Requirements() {
  static const std::vector<verified::RequirementPtr> reqs = [] {
    std::vector<verified::RequirementPtr> out;
    const std::pair<const char*, nlohmann::json> values[] = {
        {"non_root", true},
        {"no_privilege_escalation", nlohmann::json::array({"NET_ADMIN"})},
        {"read_only_rootfs", true},
        {"no_secrets_in_env", true},
        {"healthcheck", true},
        {"no_latest", true},
        {"max_age_days", 30},
        {"registries", nlohmann::json::array({"docker.io"})},
        {"labels", {{"maintainer", true}, {"security.scan", "passed"}}},
        {"protect_host", true}};
    for (const auto& [name, value] : values) {
      auto r = verified::MakeRequirement(name, value);
      if (r.ok() && *r) out.push_back(*r);
    }
    return out;
  }();
  return reqs;
}

void RunAll(const verified::ResolvedImage& img, const verified::Spec* spec) {
  verified::RegistrationStore regs("/nonexistent-verified-fuzz");
  verified::CheckContext ctx{img, nullptr, false, nullptr, spec, regs};
  for (const auto& r : Requirements()) (void)r->Check(ctx);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  verified::ResolvedImage img;
  img.image_id = "sha256:" + std::string(64, 'a');
  img.typed_reference = "app:1";
  img.store_root = "/var/lib/docker";
  auto spec = verified::ParseSpec(text);
  if (spec.ok()) RunAll(img, &*spec);
  auto cfg = verified::ParseJson(text, "fuzz image config");
  if (cfg.ok()) {
    img.config = std::move(cfg).value();
    RunAll(img, nullptr);
    if (spec.ok()) RunAll(img, &*spec);
  }
  return 0;
}
