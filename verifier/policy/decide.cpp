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
  Decision d;
  auto finish = [&]() {
    d.elapsed_us = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::steady_clock::now() - start)
                       .count();
    return d;
  };
  auto policy = LoadPolicy(req.config_dir);
  if (!policy.ok()) {
    // Without a policy we cannot know the mode either: deny.
    d.verdict = VerdictForError(policy.error(), Mode::kEnforce, "");
    return finish();
  }
  d.policy_digest = policy->digest;
  auto fail = [&](const Error& e) {
    d.verdict = VerdictForError(e, policy->mode, "");
    return finish();
  };
  auto spec = LoadSpec(req.bundle_dir);
  if (!spec.ok()) return fail(spec.error());
  auto shared = std::make_shared<const Spec>(std::move(spec).value());
  d.spec = shared;
  auto rootfs = ResolveRootPath(req.bundle_dir, *shared);
  if (!rootfs.ok()) return fail(rootfs.error());
  d.rootfs = *rootfs;
  auto mounts = req.mountinfo_path.empty() ? MountsAt(*rootfs) : ReadMountinfo(req.mountinfo_path);
  if (!mounts.ok()) return fail(mounts.error());
  ContainerContext ctx{req.container_id, req.bundle_dir, shared.get(), *rootfs, &*mounts};
  auto image = ResolveImage(ctx, AllStores());
  if (!image.ok()) return fail(image.error());
  d.engine = image->engine;
  d.top_chain_id = image->TopChainId();
  RegistrationStore regs(req.config_dir);
  d.verdict = Evaluate(*policy, *image, shared.get(), regs);
  return finish();
}

}  // namespace verified
