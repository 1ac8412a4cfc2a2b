#include "ctl/cmd_audit.h"

#include <ctime>
#include <memory>
#include <set>

#include "ctl/audit_report.h"
#include "ctl/audit_run.h"
#include "ctl/container_finder.h"
#include "ctl/engine_options.h"
#include "verifier/policy/policy_file.h"

namespace verified::ctl {
namespace {

struct AuditArgs {
  std::string mode = "policy";
  std::string image_file;
  std::string format = "table";
  bool layers = false;
  bool all = false;
  EngineSelection where;  ///< engines to ask, and --workers
};

std::vector<std::unique_ptr<ContainerEnumerator>> Enumerators(const AuditArgs& a) {
  return MakeEnumerators(WithDockerHost(a.where));
}

// Lists every engine's containers; the first engine to report an id keeps it.
std::vector<FoundContainer> FindContainers(const AuditArgs& a, std::vector<EngineStatus>& st) {
  std::vector<FoundContainer> all;
  std::set<std::string> ids;
  for (const auto& e : Enumerators(a)) {
    EngineStatus s{e->Engine(), e->Where(), "ok", "", 0};
    auto found = e->List(a.all);
    if (!found.ok()) {
      s.status = "error";
      s.error = found.error().What();
    } else if (!found->has_value()) {
      s.status = "absent";
    } else {
      for (auto& c : **found) {
        if (!ids.insert(c.id).second) continue;
        ++s.containers;
        all.push_back(std::move(c));
      }
    }
    st.push_back(std::move(s));
  }
  return all;
}

void DoAudit(CtlContext& ctx, const AuditArgs& a) {
  AuditReport report;
  AuditSettings settings;
  settings.config_dir = ctx.config_dir;
  settings.seal_dir = ctx.seal_dir;
  settings.layers = a.layers;
  settings.workers = a.where.workers;
  settings.state_dir = ctx.state_dir;
  Policy policy;
  signedpolicy::SignedPolicyCheck signed_check;
  ImageList list;
  if (a.mode == "policy") {
    if (!a.image_file.empty()) return ctx.Fail("--image-file needs --mode whitelist|blacklist");
    auto p = LoadPolicy(ctx.config_dir);
    if (!p.ok()) return ctx.Fail(std::move(p).error());
    policy = std::move(p).value();
    settings.policy = &policy;
    // Checked once for every container, as each create would check it (the mark not raised).
    signed_check = signedpolicy::CheckSignedPolicy(
        {ctx.config_dir, ctx.state_dir, static_cast<int64_t>(time(nullptr)), policy.digest});
    settings.signed_policy = &signed_check;
    if (signed_check.required && a.format != "json") {
      fmt::print("{}\n", signed_check.Summary());
    }
    report.source = policy.digest;
  } else {
    settings.mode = a.mode == "whitelist" ? AuditMode::kWhitelist : AuditMode::kBlacklist;
    std::string file = a.image_file.empty() ? "./images.txt" : a.image_file;
    auto l = LoadImageList(file);
    if (!l.ok()) return ctx.Fail(std::move(l).error());
    list = std::move(l).value();
    settings.list = &list;
    report.source = file;
  }
  report.mode = settings.mode;
  auto containers = FindContainers(a, report.engines);
  report.rows = AuditContainers(containers, settings);
  bool engine_error = std::any_of(report.engines.begin(), report.engines.end(),
                                  [](const EngineStatus& e) { return e.status == "error"; });
  bool all_ok = std::all_of(report.rows.begin(), report.rows.end(),
                            [](const AuditRow& r) { return r.compliant; });
  // A policy the runtime refuses as not properly signed refuses every create.
  if (!signed_check.Accepted()) all_ok = false;
  report.exit_code = engine_error ? kExitError : all_ok ? kExitOk : kExitRefused;
  if (a.format == "json") {
    nlohmann::ordered_json j = AuditJson(report);
    if (signed_check.required) j["signed_policy"] = signed_check.Summary();
    fmt::print("{}\n", j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  } else {
    PrintAuditTable(stdout, report, a.layers);
  }
  ctx.exit_code = report.exit_code;
}

}  // namespace

void AddAuditCommand(CLI::App& app, CtlContext& ctx) {
  auto a = std::make_shared<AuditArgs>();
  auto* cmd = app.add_subcommand(
      "audit",
      "Report every container on the host with its proven image and the verdict it gets now "
      "(exit 0 all comply, 1 some do not, 2 error)");
  cmd->add_option("--mode", a->mode,
                  "policy: the host policy; whitelist/blacklist: the names in --image-file")
      ->check(CLI::IsMember({"policy", "whitelist", "blacklist"}))
      ->capture_default_str();
  cmd->add_option("--image-file", a->image_file,
                  "names, globs and regexes, one a line, # comments (default ./images.txt)");
  cmd->add_option("--format", a->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  cmd->add_flag("--layers", a->layers, "show each image's layers (diffID, chainID, size)");
  cmd->add_flag("--all", a->all, "include containers that are not running");
  AddEngineOptions(*cmd, a->where);
  cmd->add_option("--workers", a->where.workers, "parallel connections and resolutions")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->callback([&ctx, a] { DoAudit(ctx, *a); });
}

}  // namespace verified::ctl
