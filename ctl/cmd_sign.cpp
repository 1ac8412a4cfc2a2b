#include "ctl/cmd_sign.h"

#include <memory>

#include "ctl/image_sign.h"
#include "ctl/image_source.h"

namespace verified::ctl {
namespace {

struct ImageSignArgs {
  std::string image;
  std::string engine = "docker";
  std::string root, runroot;
  SignRequest request;
};

void DoSignImage(CtlContext& ctx, ImageSignArgs a) {
  ctx.engine = a.engine;
  ctx.podman_root = a.root;
  ctx.podman_runroot = a.runroot;
  auto img = LookupImage(ctx, a.image);
  if (!img.ok()) return ctx.Fail(Wrap(std::move(img).error(), "sign {}", a.image));
  a.request.signed_by = CurrentUser();
  a.request.signed_at = NowRfc3339();
  auto o = SignImage(ctx.config_dir, *img, a.request);
  if (!o.ok()) return ctx.Fail(Wrap(std::move(o).error(), "sign {}", a.image));
  fmt::print("{} simple-signing signature for {} (docker-reference {}, image {})\n",
             o->added ? "stored" : "already had", o->manifest.digest, o->repository, img->image_id);
  fmt::print("manifest:  {}\n", o->manifest.source);
  fmt::print("key:       sha256:{}{}\n", o->key_fingerprint,
             o->trusted_key.empty() ? "" : " (trusted as " + o->trusted_key + ")");
  if (!a.request.output_dir.empty()) {
    fmt::print("wrote {0}/payload.json, {0}/payload.sig, {0}/manifest.json\n",
               a.request.output_dir);
  }
  if (o->trusted_key.empty()) {
    fmt::print(stderr,
               "verifiedctl: warning: this key's public half is not in {}/keys: the runtime "
               "will not count this signature until `verifiedctl key add NAME FILE.pub`\n",
               ctx.config_dir);
  }
}

}  // namespace

void AddSignCommand(CLI::App& app, CtlContext& ctx) {
  auto a = std::make_shared<ImageSignArgs>();
  auto* sign = app.add_subcommand(
      "sign", "Sign a local image (cosign simple signing) and store the signature");
  sign->add_option("image", a->image, "image name or ID")->required();
  sign->add_option("--key", a->request.key_file,
                   "private key: unencrypted PKCS#8 PEM (as `verifiedctl key generate` writes)")
      ->required();
  sign->add_option("--output", a->request.output_dir,
                   "also write payload.json, payload.sig and manifest.json into DIR");
  sign->add_option("--identity", a->request.identity,
                   "repository to name in the signature (default: the image's)");
  sign->add_option("--engine", a->engine, "engine holding the image")
      ->check(CLI::IsMember({"docker", "containerd", "podman"}));
  sign->add_option("--root", a->root, "podman: storage graph root (as podman --root)");
  sign->add_option("--runroot", a->runroot, "podman: storage run root (as podman --runroot)");
  sign->add_option("--containerd-root", ctx.containerd_root,
                   "containerd's root (default: from the daemon at CONTAINERD_ADDRESS)");
  sign->add_option("--namespace", ctx.containerd_namespace,
                   "containerd namespace (default: CONTAINERD_NAMESPACE, else \"default\")");
  sign->callback([&ctx, a] { DoSignImage(ctx, *a); });
}

}  // namespace verified::ctl
