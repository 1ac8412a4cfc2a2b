// Fuzz target: every requirement evaluated on an untrusted OCI spec and image config
// (verifier/checks/*). The input is parsed once as config.json and once as an image config;
// no requirement may crash, hang or throw on either.
//
// The requirements that read more than the two documents get a private fixture, made once
// under $TMPDIR and removed at exit (nothing of the host's is read or written but its
// /proc and /sys facts): a config dir holding registrations of app:1 and of its base (for
// "registered" and "base"), and two layer directories with a shell and a program (for
// "no_shell", "sealed" and "content"). The image's layers come from the input's
// rootfs.diff_ids when it has some (so a chain that differs from the registration is reached),
// else from the registered ones; each is placed on one of the two layer directories.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "verifier/bundle/spec.h"
#include "verifier/checks/catalog.h"
#include "verifier/core/json.h"
#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"
#include "verifier/image/reference.h"
#include "verifier/image/runtime_config.h"
#include "verifier/registry/registration_store.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr size_t kMaxLayers = 16;

struct Fixture {
  std::string root, config_dir, layer_dirs[2];
  std::vector<std::string> diff_ids;  // of app:1 (its base: the first one)
  std::string image_id;
};

void WriteFile(const fs::path& p, const std::string& data, fs::perms mode) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << data;
  fs::permissions(p, mode);
}

bool Register(const verified::RegistrationStore& regs, const std::string& name,
              std::vector<std::string> diff_ids, const json& config) {
  verified::Registration r;
  r.name = name;
  r.image_id = "sha256:" + verified::Sha256Hex(config.dump());
  r.chain_ids = verified::ChainIds(diff_ids);
  r.diff_ids = std::move(diff_ids);
  r.registered_at = "2026-01-01T00:00:00Z";
  r.registered_by = "fuzz (uid 0)";
  r.engine = "docker";
  auto runtime = verified::ExtractRuntimeConfig(config);
  if (runtime.ok()) r.config = *runtime;
  return regs.Put(r).ok();
}

// Never destroyed: the atexit handler that removes it runs after static destructors would.
const Fixture& TheFixture() {
  static const Fixture* f = [] {
    auto* p = new Fixture;
    Fixture& x = *p;
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                        "/verified-requirements-fuzz.XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) std::abort();
    x.root = templ;
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(TheFixture().root, ec);
    });
    x.config_dir = x.root + "/cfg";
    fs::create_directories(x.config_dir);
    fs::permissions(x.config_dir, fs::perms::owner_all);
    x.layer_dirs[0] = x.root + "/layer1";
    x.layer_dirs[1] = x.root + "/layer2";
    // A shell by name and by ELF-less content, and a program an entrypoint can name.
    WriteFile(x.layer_dirs[0] + "/bin/busybox",
              "\x7f"
              "ELF fuzz busybox sh ash",
              fs::perms(0755));
    fs::create_symlink("busybox", x.layer_dirs[0] + "/bin/sh");
    WriteFile(x.layer_dirs[1] + "/app/tool", "#!/bin/sh\necho tool\n", fs::perms(0755));
    WriteFile(x.layer_dirs[1] + "/etc/app.conf", "mode=1\n", fs::perms(0644));
    x.diff_ids = {"sha256:" + verified::Sha256Hex("base layer"),
                  "sha256:" + verified::Sha256Hex("app layer")};
    const json cfg = {{"architecture", "amd64"},
                      {"os", "linux"},
                      {"config", {{"Entrypoint", {"/app/tool"}}, {"User", "1000"}}},
                      {"rootfs", {{"type", "layers"}, {"diff_ids", x.diff_ids}}}};
    x.image_id = "sha256:" + verified::Sha256Hex(cfg.dump());
    verified::RegistrationStore regs(x.config_dir);
    json base_cfg = cfg;
    base_cfg["rootfs"]["diff_ids"] = {x.diff_ids[0]};
    if (!Register(regs, "docker.io/library/app:1", x.diff_ids, cfg) ||
        !Register(regs, "docker.io/library/base:1", {x.diff_ids[0]}, base_cfg)) {
      std::abort();  // a fixture that cannot be made would make every input a no-op
    }
    return p;
  }();
  return *f;
}

const std::vector<verified::RequirementPtr>& Requirements() {
  static const std::vector<verified::RequirementPtr> reqs = [] {
    std::vector<verified::RequirementPtr> out;
    const std::pair<const char*, json> values[] = {
        {"non_root", true},
        {"no_privilege_escalation", json::array({"NET_ADMIN"})},
        {"read_only_rootfs", true},
        {"no_secrets_in_env", true},
        {"healthcheck", true},
        {"no_latest", true},
        {"max_age_days", 30},
        {"registries", json::array({"docker.io"})},
        {"labels", {{"maintainer", true}, {"security.scan", "passed"}}},
        {"protect_host", true},
        {"registered", true},
        {"base", "base:1"},
        {"no_shell", true},
        {"no_shell", json::array({"tool"})},
        {"sealed", true},
        {"pod_sandbox", true},
        {"pod_sandbox", false},
        {"content", "full"},
        // No key in the fixture: every image is refused at the key, before the store.
        {"signed_by", "ci"},
        {"signatures", 1},
        {"signed_identity", "digest"}};
    for (const auto& [name, value] : values) {
      auto r = verified::MakeRequirement(name, value);
      if (!r.ok() || !*r) std::abort();  // the catalog changed: fix the list above
      out.push_back(*r);
    }
    return out;
  }();
  return reqs;
}

// The input's rootfs.diff_ids (strings, at most kMaxLayers), else the registered ones.
std::vector<std::string> DiffIds(const json& config) {
  const json* ids = nullptr;
  if (config.is_object() && config.contains("rootfs") && config["rootfs"].is_object() &&
      config["rootfs"].contains("diff_ids")) {
    ids = &config["rootfs"]["diff_ids"];
  }
  if (ids == nullptr || !ids->is_array() || ids->empty() || ids->size() > kMaxLayers) {
    return TheFixture().diff_ids;
  }
  std::vector<std::string> out;
  for (const auto& v : *ids) {
    if (!v.is_string()) return TheFixture().diff_ids;
    out.push_back(v.get<std::string>());
  }
  return out;
}

void SetLayers(verified::ResolvedImage& img, std::vector<std::string> diff_ids) {
  img.chain_ids = verified::ChainIds(diff_ids);
  img.diff_ids = std::move(diff_ids);
  img.layers.clear();
  for (size_t i = 0; i < img.diff_ids.size(); ++i) {
    verified::LayerLocation l;
    l.diff_id = img.diff_ids[i];
    l.chain_id = img.chain_ids[i];
    l.diff_dir = TheFixture().layer_dirs[i % 2];
    l.layer_id = "fuzz" + std::to_string(i);
    img.layers.push_back(std::move(l));
  }
}

// Every requirement, as named by the tag (typed) and as run by ID (registrations by chain).
void RunAll(const verified::ResolvedImage& img, const verified::Spec* spec) {
  static const verified::Reference name = *verified::ParseReference("app:1");
  verified::RegistrationStore regs(TheFixture().config_dir);
  verified::CheckContext by_name{img, &name, true, nullptr, spec, regs};
  verified::CheckContext by_id{img, nullptr, false, nullptr, spec, regs};
  for (const auto& r : Requirements()) {
    (void)r->Check(by_name);
    (void)r->Check(by_id);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  verified::ResolvedImage img;
  img.engine = "docker-overlay2";
  img.image_id = TheFixture().image_id;
  img.typed_reference = "app:1";
  img.typed_confirmed = true;
  img.store_root = TheFixture().root;
  img.pod_sandbox = size % 2 == 1;  // both answers of the store, decided by the input
  SetLayers(img, TheFixture().diff_ids);
  auto spec = verified::ParseSpec(text);
  if (spec.ok()) RunAll(img, &*spec);
  auto cfg = verified::ParseJson(text, "fuzz image config");
  if (cfg.ok()) {
    img.config = std::move(cfg).value();
    img.image_id = "sha256:" + verified::Sha256Hex(text);
    SetLayers(img, DiffIds(img.config));
    RunAll(img, nullptr);
    if (spec.ok()) RunAll(img, &*spec);
  }
  return 0;
}
