// Test helpers for requirements: a Docker-like OCI spec and image config, patched per test.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "verifier/bundle/spec.h"
#include "verifier/checks/catalog.h"
#include "verifier/checks/requirement.h"
#include "verifier/registry/registration_store.h"
#include "verifier/store/resolved_image.h"

namespace verified::testing {

/// The spec dockerd 20.10 writes for `docker run --network=none IMAGE sleep 1000` as uid 1000
/// (abridged), with `patch` applied as a JSON merge patch (RFC 7386).
inline Spec DockerSpec(const nlohmann::json& patch = nlohmann::json::object()) {
  nlohmann::json j = {
      {"ociVersion", "1.0.2-dev"},
      {"process",
       {{"user", {{"uid", 1000}, {"gid", 0}}},
        {"args", {"sleep", "1000"}},
        {"env", {"PATH=/usr/bin:/bin", "HOSTNAME=b9f128dbe882"}},
        {"capabilities",
         {{"bounding",
           {"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"}}}}}},
      {"root", {{"path", "/var/lib/docker/overlay2/abc/merged"}}},
      {"mounts",
       {{{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}},
        {{"destination", "/etc/hosts"},
         {"type", "bind"},
         {"source", "/var/lib/docker/containers/" + std::string(64, 'b') + "/hosts"},
         {"options", {"rbind", "rprivate"}}}}},
      {"linux",
       {{"resources",
         {{"devices",
           {{{"allow", false}, {"access", "rwm"}},
            {{"allow", true}, {"type", "c"}, {"major", 1}, {"minor", 3}, {"access", "rwm"}}}}}},
        {"namespaces",
         {{{"type", "mount"}}, {{"type", "network"}}, {{"type", "pid"}}, {{"type", "ipc"}}}}}}};
  j.merge_patch(patch);
  Spec s;
  s.raw = j;
  s.root_path = j["root"]["path"].get<std::string>();
  s.root_readonly = j["root"].value("readonly", false);
  return s;
}

/// An image config like `docker build` writes, `run` merged into its "config" section.
inline ResolvedImage Image(const nlohmann::json& run = nlohmann::json::object(),
                           const std::string& typed = "app:1.2") {
  ResolvedImage img;
  img.engine = "docker-overlay2";
  img.store_root = "/var/lib/docker";
  img.image_id = "sha256:" + std::string(64, 'a');
  img.typed_reference = typed;
  img.typed_confirmed = true;
  img.config = {{"created", "2020-01-01T00:00:00Z"},
                {"config", {{"User", "1001"}, {"Env", {"PATH=/usr/bin:/bin"}}}},
                {"rootfs", {{"type", "layers"}, {"diff_ids", nlohmann::json::array()}}}};
  img.config["config"].merge_patch(run);
  return img;
}

/// Builds requirement `name` from `value` (asserting it is valid) and checks it.
inline Finding RunRule(const std::string& name, const nlohmann::json& value,
                       const ResolvedImage& image, const Spec* spec,
                       const Reference* matched = nullptr,
                       const std::string& config_dir = "/nonexistent-verified-config") {
  auto req = MakeRequirement(name, value);
  EXPECT_TRUE(req.ok()) << (req.ok() ? "" : req.error().What());
  if (!req.ok() || !*req) return Finding{name, Outcome::kFail, "not built", "", ""};
  RegistrationStore regs(config_dir);
  CheckContext ctx{image, matched, matched != nullptr, nullptr, spec, regs};
  return (*req)->Check(ctx);
}

}  // namespace verified::testing
