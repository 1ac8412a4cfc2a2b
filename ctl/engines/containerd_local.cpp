#include "ctl/engines/containerd_local.h"

#include "verifier/core/env.h"
#include "verifier/store/containerd/containerd_image.h"
#include "verifier/store/containerd/containerd_root.h"

namespace verified::ctl {

std::string ContainerdAddress() {
  std::string a = EnvOr("CONTAINERD_ADDRESS");
  if (a.rfind("unix://", 0) == 0) a = a.substr(7);
  return a.empty() ? "/run/containerd/containerd.sock" : a;
}

std::string ContainerdNamespace(const CtlContext& ctx) {
  if (!ctx.containerd_namespace.empty()) return ctx.containerd_namespace;
  std::string ns = EnvOr("CONTAINERD_NAMESPACE");
  return ns.empty() ? "default" : ns;
}

Result<std::string> ContainerdRoot(const CtlContext& ctx, std::string* note) {
  if (!ctx.containerd_root.empty()) {
    if (note) *note = "containerd root from --containerd-root";
    return ctx.containerd_root;
  }
  std::string address = ContainerdAddress();
  auto root = containerd::RootOfDaemon(address, note);
  if (!root.ok()) {
    return Wrap(std::move(root).error(),
                "cannot find the containerd at {} (set CONTAINERD_ADDRESS, or pass "
                "--containerd-root)",
                address);
  }
  return root;
}

Result<ResolvedImage> LookupContainerd(const CtlContext& ctx, const std::string& typed) {
  std::string note;
  VERIFIED_ASSIGN_OR_RETURN(std::string root, ContainerdRoot(ctx, &note));
  std::string ns = ContainerdNamespace(ctx);
  VERIFIED_ASSIGN_OR_WRAP(ResolvedImage img, containerd::LoadContainerdImage(root, ns, typed),
                          "containerd root {} namespace {}", root, ns);
  img.notes.insert(img.notes.begin(), note);
  return img;
}

}  // namespace verified::ctl
