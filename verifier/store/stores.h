// The set of engine stores the runtime knows, tried in order.
#pragma once

#include <memory>
#include <vector>

#include "verifier/store/store.h"

namespace verified {

/// Every resolver this build knows (Docker overlay2, containerd, containers/storage ...).
std::vector<std::unique_ptr<Store>> AllStores();

/// Asks each store in turn. The first that resolves wins; the first that reports a broken
/// store fails the whole resolution (fail closed); when none claims the rootfs the result is
/// kUnsupported naming the path and the stores tried.
Result<ResolvedImage> ResolveImage(const ContainerContext& ctx,
                                   const std::vector<std::unique_ptr<Store>>& stores);

}  // namespace verified
