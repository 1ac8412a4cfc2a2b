#include "ctl/cmd_register.h"

#include <memory>

#include "ctl/image_source.h"
#include "ctl/signed_policy_notice.h"
#include "verifier/image/reference.h"
#include "verifier/image/runtime_config.h"
#include "verifier/registry/registration_store.h"

namespace verified::ctl {
namespace {

struct RegisterArgs {
  std::vector<std::string> images;
  std::string engine = "docker";
  std::string root, runroot;
  bool json = false;
  bool layers_only = false;
};

void DoRegister(CtlContext& ctx, const RegisterArgs& a) {
  ctx.engine = a.engine;
  ctx.podman_root = a.root;
  ctx.podman_runroot = a.runroot;
  RegistrationStore store(ctx.config_dir);
  for (const auto& typed : a.images) {
    auto img = LookupImage(ctx, typed);
    if (!img.ok()) return ctx.Fail(Wrap(std::move(img).error(), "register {}", typed));
    auto names = RegistrationNames(*img, typed);
    if (!names.ok()) return ctx.Fail(Wrap(std::move(names).error(), "register {}", typed));
    // Kept so that a refusal of a metadata-only rebuild can name the fields it changed.
    auto config = ExtractRuntimeConfig(img->config);
    if (!config.ok()) return ctx.Fail(Wrap(std::move(config).error(), "register {}", typed));
    for (const auto& name : *names) {
      Registration r;
      r.name = name;
      r.image_id = img->image_id;
      r.diff_ids = img->diff_ids;
      r.chain_ids = img->chain_ids;
      for (const auto& n : img->names) {
        if (n.find('@') != std::string::npos) r.repo_digests.push_back(n);
      }
      r.registered_at = NowRfc3339();
      r.registered_by = CurrentUser();
      r.engine = img->engine;
      r.layers_only = a.layers_only;
      r.config = *config;
      auto st = store.Put(r);
      if (!st.ok()) return ctx.Fail(Wrap(std::move(st).error(), "register {}", name));
      if (a.json) {
        fmt::print("{}\n", RegistrationToJson(r).dump());
      } else {
        auto ref = ParseReference(name);
        fmt::print("registered {} ({} layers, top chainID {}, image {}{})\n",
                   ref.ok() ? ref->Familiar() : name, r.chain_ids.size(), r.TopChainId(),
                   r.image_id, r.layers_only ? "; layers only: any config over them" : "");
      }
    }
  }
  PrintSignNotice(ctx);
}

void DoUnregister(CtlContext& ctx, const std::vector<std::string>& names) {
  RegistrationStore store(ctx.config_dir);
  for (const auto& n : names) {
    auto ref = ParseReference(n);
    if (!ref.ok()) return ctx.Fail(std::move(ref).error());
    auto removed = store.Remove(ref->String());
    if (!removed.ok()) return ctx.Fail(std::move(removed).error());
    if (!*removed) return ctx.Fail(fmt::format("{} is not registered", ref->Familiar()));
    fmt::print("unregistered {}\n", ref->Familiar());
  }
  PrintSignNotice(ctx);
}

void DoListRegistered(CtlContext& ctx, bool json) {
  RegistrationStore store(ctx.config_dir);
  auto all = store.List();
  if (!all.ok()) return ctx.Fail(std::move(all).error());
  if (json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& r : *all) arr.push_back(RegistrationToJson(r));
    fmt::print("{}\n", arr.dump(2));
    return;
  }
  fmt::print("{:<50} {:>6}  {:<20}  {:<7}  {}\n", "NAME", "LAYERS", "REGISTERED", "BINDS",
             "TOP CHAIN ID");
  for (const auto& r : *all) {
    auto ref = ParseReference(r.name);
    fmt::print("{:<50} {:>6}  {:<20}  {:<7}  {}\n", ref.ok() ? ref->Familiar() : r.name,
               r.chain_ids.size(), r.registered_at, r.layers_only ? "layers" : "config",
               r.TopChainId());
  }
}

}  // namespace

void AddRegisterCommands(CLI::App& app, CtlContext& ctx) {
  auto reg_args = std::make_shared<RegisterArgs>();
  auto* reg = app.add_subcommand(
      "register", "Record local images (layer chain and config) as approved under their names");
  reg->add_option("images", reg_args->images, "image names (or IDs: every tag is registered)")
      ->required();
  reg->add_option("--engine", reg_args->engine, "engine to read the image from")
      ->check(CLI::IsMember({"docker", "containerd", "podman"}));
  reg->add_option("--root", reg_args->root, "podman: storage graph root (as podman --root)");
  reg->add_option("--runroot", reg_args->runroot, "podman: storage run root (as podman --runroot)");
  reg->add_flag("--json", reg_args->json, "print the records as JSON");
  reg->add_flag("--layers-only", reg_args->layers_only,
                "approve the layer chain with any image config (entrypoint, env, user, labels, "
                "healthcheck...): weaker, off by default");
  reg->callback([&ctx, reg_args] { DoRegister(ctx, *reg_args); });

  auto names = std::make_shared<std::vector<std::string>>();
  auto* unreg = app.add_subcommand("unregister", "Remove registrations");
  unreg->add_option("names", *names, "registered names")->required();
  unreg->callback([&ctx, names] { DoUnregister(ctx, *names); });

  auto json = std::make_shared<bool>(false);
  auto* list = app.add_subcommand("list", "List registered images");
  list->add_flag("--json", *json, "print JSON");
  list->callback([&ctx, json] { DoListRegistered(ctx, *json); });
}

}  // namespace verified::ctl
