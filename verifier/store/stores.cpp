#include "verifier/store/stores.h"

#include "verifier/store/containerd/containerd_store.h"
#include "verifier/store/containerd/docker_containerd_store.h"
#include "verifier/store/cstorage/cstorage_store.h"
#include "verifier/store/docker/buildkit_store.h"
#include "verifier/store/docker/overlay2_store.h"

namespace verified {

std::vector<std::unique_ptr<Store>> AllStores() {
  std::vector<std::unique_ptr<Store>> stores;
  stores.push_back(std::make_unique<DockerOverlay2Store>());
  // Before the containerd resolvers: a BuildKit root.path also ends in "rootfs".
  stores.push_back(std::make_unique<DockerBuildKitStore>());
  stores.push_back(std::make_unique<ContainersStorageStore>());
  stores.push_back(std::make_unique<DockerContainerdStore>());
  stores.push_back(std::make_unique<ContainerdStore>());
  return stores;
}

Result<ResolvedImage> ResolveImage(const ContainerContext& ctx,
                                   const std::vector<std::unique_ptr<Store>>& stores) {
  std::string tried;
  for (const auto& store : stores) {
    auto r = store->Resolve(ctx);
    if (!r.ok()) return std::move(r).error();
    if (r->has_value()) {
      (*r)->container_id = ctx.container_id;
      return std::move(**r);
    }
    tried += (tried.empty() ? "" : ", ") + store->Name();
  }
  return MakeError(ErrorKind::kUnsupported,
                   "cannot prove the image of root.path {}: it is in no known engine store "
                   "(tried {})",
                   ctx.rootfs, tried);
}

}  // namespace verified
