#include "verifier/policy/decide.h"

#include <chrono>

#include "verifier/bundle/mount_lookup.h"
#include "verifier/bundle/mountinfo.h"
#include "verifier/bundle/spec.h"
#include "verifier/policy/policy_file.h"
#include "verifier/store/stores.h"

namespace verified {

Decision DecideCreate(const CreateRequest& req) {
  auto start = std::chrono::steady_clock::now();
  auto mark = start;
  Decision d;
  // Each step's time runs from the end of the previous one, so the steps add up to the total.
  auto step = [&](const char* name, std::string detail) {
    auto now = std::chrono::steady_clock::now();
    d.steps.push_back({name,
                       std::chrono::duration_cast<std::chrono::microseconds>(now - mark).count(),
                       std::move(detail)});
    mark = now;
  };
  auto finish = [&]() {
    d.elapsed_us = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::steady_clock::now() - start)
                       .count();
    return d;
  };
  auto policy = LoadPolicy(req.config_dir);
  if (!policy.ok()) {
    step("policy", policy.error().What());
    // Without a policy we cannot know the mode either: deny.
    d.verdict = VerdictForError(policy.error(), Mode::kEnforce, "");
    return finish();
  }
  d.policy_digest = policy->digest;
  step("policy", "digest " + policy->digest);
  auto fail = [&](const char* name, const Error& e) {
    step(name, e.What());
    d.verdict = VerdictForError(e, policy->mode, "");
    return finish();
  };
  auto spec = LoadSpec(req.bundle_dir);
  if (!spec.ok()) return fail("spec", spec.error());
  auto shared = std::make_shared<const Spec>(std::move(spec).value());
  d.spec = shared;
  auto rootfs = ResolveRootPath(req.bundle_dir, *shared);
  if (!rootfs.ok()) return fail("spec", rootfs.error());
  d.rootfs = *rootfs;
  step("spec", "rootfs " + *rootfs);
  auto mounts = req.mountinfo_path.empty() ? MountsAt(*rootfs) : ReadMountinfo(req.mountinfo_path);
  if (!mounts.ok()) return fail("mount", mounts.error());
  const MountEntry* at = FindMountAt(*mounts, *rootfs);
  step("mount", at == nullptr ? "no mount at the rootfs" : at->fs_type + " mounted at the rootfs");
  ContainerContext ctx{req.container_id, req.bundle_dir, shared.get(), *rootfs, &*mounts};
  auto image = ResolveImage(ctx, AllStores());
  if (!image.ok()) return fail("store", image.error());
  d.engine = image->engine;
  d.top_chain_id = image->TopChainId();
  step("store", image->engine + " image " + image->image_id);
  RegistrationStore regs(req.config_dir);
  d.verdict = Evaluate(*policy, *image, shared.get(), regs);
  step("checks", d.verdict.rule + ": " + (d.verdict.decision == Action::kAllow ? "allow" : "deny") +
                     (d.verdict.mode == Mode::kAudit ? " (audit mode)" : ""));
  return finish();
}

}  // namespace verified
