// Finding a containerd and its images the way `ctr` does, without its gRPC API (no gRPC
// library is available): CONTAINERD_ADDRESS (default /run/containerd/containerd.sock) names
// the daemon, CONTAINERD_NAMESPACE (default "default") the namespace; the daemon's root comes
// from --containerd-root or from the process listening on that socket (its --root, else
// `root` in its --config file, else /var/lib/containerd). Images are then read from the root's
// own files exactly as the runtime reads them at create.
#pragma once

#include <string>

#include "ctl/context.h"
#include "verifier/store/resolved_image.h"

namespace verified::ctl {

/// The socket ctr would talk to: $CONTAINERD_ADDRESS, else /run/containerd/containerd.sock.
std::string ContainerdAddress();

/// ctx.containerd_namespace, else $CONTAINERD_NAMESPACE, else "default".
std::string ContainerdNamespace(const CtlContext& ctx);

/// ctx.containerd_root, else the root of the daemon at ContainerdAddress(); `note` says which.
Result<std::string> ContainerdRoot(const CtlContext& ctx, std::string* note);

/// Resolves an image for register/check with --engine containerd (see LoadContainerdImage).
Result<ResolvedImage> LookupContainerd(const CtlContext& ctx, const std::string& typed);

}  // namespace verified::ctl
