#include "ctl/cmd_check.h"

#include <climits>
#include <cstdlib>
#include <memory>

#include "ctl/container_finder.h"
#include "ctl/engine_options.h"
#include "ctl/image_source.h"
#include "ctl/policy_edit.h"
#include "ctl/verdict_print.h"
#include "verifier/checks/attestation_requirements.h"
#include "verifier/checks/catalog.h"
#include "verifier/checks/signature_requirements.h"
#include "verifier/decision/decide.h"

namespace verified::ctl {
namespace {

struct CheckArgs {
  std::string target;
  std::string engine = "docker";
  std::string root, runroot;
  bool json = false;
  bool layers = false;
  std::vector<std::string> require;  // check: extra requirements to evaluate on the image
  // explain: where to look for the container (as audit's options).
  EngineSelection where;
};

nlohmann::ordered_json StepsJson(const Decision& d) {
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const auto& s : d.steps) {
    steps.push_back({{"name", s.name}, {"elapsed_us", s.elapsed_us}, {"detail", s.detail}});
  }
  return steps;
}

void Emit(CtlContext& ctx, const Decision& d, const CheckArgs& a,
          const nlohmann::ordered_json& extra) {
  if (a.json) {
    nlohmann::ordered_json j = extra;
    if (d.image) j["provenance"] = ProvenanceJson(*d.image);
    if (!d.notes.empty()) j["notes"] = d.notes;
    j["verdict"] = VerdictJson(d.verdict);
    j["policy_digest"] = d.policy_digest;
    if (!d.policy_signature.empty()) j["signed_policy"] = d.policy_signature;
    j["steps"] = StepsJson(d);
    fmt::print("{}\n", j.dump(2));
  } else {
    for (const auto& [k, val] : extra.items()) {
      fmt::print("{:<11} {}\n", k + ":", val.is_string() ? val.get<std::string>() : val.dump());
    }
    if (!d.policy_signature.empty()) fmt::print("{:<11} {}\n", "signed:", d.policy_signature);
    if (d.image) PrintProvenance(*d.image, a.layers);
    for (const auto& n : d.notes) fmt::print("note:       {}\n", n);
    PrintVerdict(d.verdict);
  }
  ctx.exit_code = d.verdict.decision == Action::kAllow ? kExitOk : kExitRefused;
}

// check --require NAME[=VALUE]: requirements the policy may not (yet) impose on this image,
// evaluated as if its rule required them, so an administrator sees e.g. whether it would pass
// no_shell and what a sealed rule would refuse before writing the rule.
Result<std::vector<WhatIfRequirement>> WhatIf(const std::vector<std::string>& require) {
  std::vector<RequirementPtr> reqs;
  for (const auto& arg : require) {
    auto [name, value] = ParseRequireArg(arg);
    auto req = MakeRequirement(name, nlohmann::json(value));
    if (!req.ok()) return Wrap(std::move(req).error(), "--require {}", arg);
    if (*req) reqs.push_back(std::move(req).value());
  }
  // --require signed_by=ci --require signatures=2: one requirement, as in a policy rule.
  VERIFIED_ASSIGN_OR_WRAP(reqs, CombineSignatureRequirements(std::move(reqs)), "--require");
  VERIFIED_ASSIGN_OR_WRAP(reqs, CombineAttestationRequirements(std::move(reqs)), "--require");
  std::vector<WhatIfRequirement> out;
  for (auto& r : reqs) {
    std::string name = r->Name();
    out.push_back(WhatIfRequirement{name, std::move(r)});
  }
  return out;
}

// check: the image is looked up in the engine as its CLI would, then decided by the same
// policy load and evaluation as the runtime's (DecideImage).
void DoCheck(CtlContext& ctx, const CheckArgs& a) {
  ctx.engine = a.engine;
  ctx.podman_root = a.root;
  ctx.podman_runroot = a.runroot;
  auto what_if = WhatIf(a.require);
  if (!what_if.ok()) return ctx.Fail(std::move(what_if).error());
  auto img = LookupImage(ctx, a.target);
  if (!img.ok()) return ctx.Fail(std::move(img).error());
  Decision d = DecideImage(ctx.config_dir, *img, *what_if, ctx.state_dir);
  // A policy that cannot be used is an error of the tool (exit 2), not a verdict; a policy the
  // runtime refuses as not properly signed is a verdict (every create would be refused).
  if (d.policy_digest.empty() && d.policy_signature.empty()) return ctx.Fail(d.verdict.reason);
  Emit(ctx, d, a, nlohmann::ordered_json::object());
}

// explain: the runtime's decision for an existing container of any engine, on its real bundle
// (Decide on an ExistingContainer): what the runtime would decide if it were created now.
void DoExplain(CtlContext& ctx, const CheckArgs& a) {
  auto c = FindContainer(MakeEnumerators(WithDockerHost(a.where)), a.target);
  if (!c.ok()) return ctx.Fail(std::move(c).error());
  ExistingContainer e;
  e.container_id = c->id;
  e.bundle_dir = c->bundle;
  e.rootfs = c->rootfs;
  e.running = c->running;
  e.image_typed = c->image_typed;
  e.config_dir = ctx.config_dir;
  e.seal_dir = ctx.seal_dir;
  e.state_dir = ctx.state_dir;
  Decision d = Decide(e);
  if (d.policy_digest.empty() && d.policy_signature.empty()) return ctx.Fail(d.verdict.reason);
  d.notes.insert(d.notes.begin(), c->notes.begin(), c->notes.end());
  nlohmann::ordered_json extra;
  extra["container"] = c->id;
  extra["name"] = c->name;
  extra["engine"] = c->engine;
  extra["runtime"] = c->runtime;
  extra["state"] = c->state;
  if (!c->bundle.empty()) extra["bundle"] = c->bundle;
  Emit(ctx, d, a, extra);
}

}  // namespace

void AddCheckCommands(CLI::App& app, CtlContext& ctx) {
  auto ca = std::make_shared<CheckArgs>();
  auto* check = app.add_subcommand(
      "check", "The verdict the runtime would give IMAGE (exit 0 allowed, 1 refused, 2 error)");
  check->add_option("image", ca->target, "image name or ID")->required();
  check->add_option("--engine", ca->engine, "engine holding the image")
      ->check(CLI::IsMember({"docker", "containerd", "podman"}));
  check->add_option("--root", ca->root, "podman: storage graph root (as podman --root)");
  check->add_option("--runroot", ca->runroot, "podman: storage run root (as podman --runroot)");
  check->add_flag("--json", ca->json, "print JSON");
  check->add_flag("--layers", ca->layers, "list every layer");
  check->add_option("--require", ca->require,
                    "also evaluate requirement NAME[=VALUE] (no_shell, sealed, ...), repeatable");
  check->callback([&ctx, ca] { DoCheck(ctx, *ca); });

  auto ea = std::make_shared<CheckArgs>();
  auto* explain = app.add_subcommand(
      "explain", "Provenance and verdict of an existing container (exit 0/1/2 as check)");
  explain->add_option("container", ea->target, "container name, ID or ID prefix")->required();
  AddEngineOptions(*explain, ea->where);
  explain->add_flag("--json", ea->json, "print JSON");
  explain->add_flag("--layers", ea->layers, "list every layer");
  explain->callback([&ctx, ea] { DoExplain(ctx, *ea); });
}

}  // namespace verified::ctl
