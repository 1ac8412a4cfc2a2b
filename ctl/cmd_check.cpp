#include "ctl/cmd_check.h"

#include <climits>
#include <cstdlib>
#include <memory>

#include "ctl/engines/docker_api.h"
#include "ctl/image_source.h"
#include "ctl/policy_edit.h"
#include "ctl/verdict_print.h"
#include "verifier/bundle/bundle_locator.h"
#include "verifier/bundle/mountinfo.h"
#include "verifier/bundle/spec.h"
#include "verifier/checks/catalog.h"
#include "verifier/core/json.h"
#include "verifier/policy/policy_file.h"
#include "verifier/store/stores.h"

namespace verified::ctl {
namespace {

struct CheckArgs {
  std::string target;
  std::string engine = "docker";
  std::string root, runroot;
  bool json = false;
  bool layers = false;
  std::vector<std::string> require;  // check: extra requirements to evaluate on the image
};

std::string Env(const char* name) {
  const char* v = getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

void Emit(CtlContext& ctx, const ResolvedImage& img, const Verdict& v, const CheckArgs& a,
          const nlohmann::ordered_json& extra) {
  if (a.json) {
    nlohmann::ordered_json j = extra;
    j["provenance"] = ProvenanceJson(img);
    j["verdict"] = VerdictJson(v);
    fmt::print("{}\n", j.dump(2));
  } else {
    for (const auto& [k, val] : extra.items()) {
      fmt::print("{:<11} {}\n", k + ":", val.is_string() ? val.get<std::string>() : val.dump());
    }
    PrintProvenance(img, a.layers);
    PrintVerdict(v);
  }
  ctx.exit_code = v.decision == Action::kAllow ? kExitOk : kExitRefused;
}

// check --require NAME[=VALUE]: evaluates requirements the policy may not (yet) impose on this
// image, as if its rule required them, so an administrator sees e.g. whether it would pass
// no_shell and what a sealed rule would refuse before writing the rule.
Status EvaluateExtra(const std::vector<std::string>& require, const ResolvedImage& img,
                     const RegistrationStore& regs, Verdict& v) {
  for (const auto& arg : require) {
    auto [name, value] = ParseRequireArg(arg);
    auto req = MakeRequirement(name, nlohmann::json(value));
    if (!req.ok()) return Wrap(std::move(req).error(), "--require {}", arg);
    if (!*req) continue;
    CheckContext cc{img, nullptr, false, nullptr, nullptr, regs};
    Finding f = (*req)->Check(cc);
    f.requirement += " (--require)";
    if (f.outcome == Outcome::kFail && v.decision == Action::kAllow) {
      v.decision = Action::kDeny;
      v.rule = "--require " + name;
      v.reason = "--require " + name + ": " + f.message;
    }
    v.findings.push_back(std::move(f));
  }
  return Ok();
}

void DoCheck(CtlContext& ctx, const CheckArgs& a) {
  ctx.engine = a.engine;
  ctx.podman_root = a.root;
  ctx.podman_runroot = a.runroot;
  auto policy = LoadPolicy(ctx.config_dir);
  if (!policy.ok()) return ctx.Fail(std::move(policy).error());
  auto img = LookupImage(ctx, a.target);
  if (!img.ok()) return ctx.Fail(std::move(img).error());
  RegistrationStore regs(ctx.config_dir);
  Verdict v = Evaluate(*policy, *img, nullptr, regs);
  auto extra = EvaluateExtra(a.require, *img, regs, v);
  if (!extra.ok()) return ctx.Fail(std::move(extra).error());
  Emit(ctx, *img, v, a, nlohmann::ordered_json::object());
}

// explain: resolve a container exactly as the runtime did at create, from the engine's store
// and (when it runs) its live mount and bundle.
void DoExplain(CtlContext& ctx, const CheckArgs& a) {
  auto ep = DockerEndpoint(Env("DOCKER_HOST"));
  if (!ep.ok()) return ctx.Fail(std::move(ep).error());
  DockerApi api(*ep);
  auto c = api.InspectContainer(a.target);
  if (!c.ok()) return ctx.Fail(std::move(c).error());
  std::string id = JsonString(*c, {"Id"});
  std::string merged = JsonString(*c, {"GraphDriver", "Data", "MergedDir"});
  bool running = JsonBool(*c, {"State", "Running"});
  auto pid = static_cast<pid_t>(JsonInt(*c, {"State", "Pid"}));
  if (merged.empty()) return ctx.Fail("container " + id + " has no overlay2 MergedDir");
  char real[PATH_MAX];
  std::string rootfs = realpath(merged.c_str(), real) != nullptr ? std::string(real) : merged;
  std::vector<MountEntry> mounts;
  Spec spec;
  bool have_spec = false;
  std::string bundle;
  if (running) {
    auto m = ReadMountinfo();
    if (!m.ok()) return ctx.Fail(std::move(m).error());
    mounts = std::move(m).value();
    auto b = BundleOfInitPid(pid);
    if (b.ok()) {
      auto s = LoadSpec(*b);
      if (s.ok()) {
        spec = std::move(s).value();
        have_spec = true;
        bundle = *b;
      }
    }
  }
  ContainerContext cc{id, bundle, have_spec ? &spec : nullptr, rootfs, running ? &mounts : nullptr};
  auto img = ResolveImage(cc, AllStores());
  if (!img.ok()) return ctx.Fail(Wrap(std::move(img).error(), "container {}", id));
  auto policy = LoadPolicy(ctx.config_dir);
  if (!policy.ok()) return ctx.Fail(std::move(policy).error());
  RegistrationStore regs(ctx.config_dir);
  Verdict v = Evaluate(*policy, *img, have_spec ? &spec : nullptr, regs);
  nlohmann::ordered_json extra;
  extra["container"] = id;
  extra["name"] = JsonString(*c, {"Name"});
  extra["runtime"] = JsonString(*c, {"HostConfig", "Runtime"});
  extra["state"] = running ? std::string("running") : JsonString(*c, {"State", "Status"});
  if (!bundle.empty()) extra["bundle"] = bundle;
  Emit(ctx, *img, v, a, extra);
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
  explain->add_option("container", ea->target, "container name or ID")->required();
  explain->add_flag("--json", ea->json, "print JSON");
  explain->add_flag("--layers", ea->layers, "list every layer");
  explain->callback([&ctx, ea] { DoExplain(ctx, *ea); });
}

}  // namespace verified::ctl
