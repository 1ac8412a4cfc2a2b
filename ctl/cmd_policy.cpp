#include "ctl/cmd_policy.h"

#include <memory>

#include "ctl/cmd_policy_sign.h"
#include "ctl/policy_edit.h"
#include "ctl/policy_lint.h"
#include "ctl/signed_policy_notice.h"
#include "verifier/config/config_dir.h"
#include "verifier/fs/dir.h"

namespace verified::ctl {
namespace {

struct RuleArgs {
  std::string pattern;
  bool regex = false;
  std::vector<std::string> require;
  std::string base;
  std::string content;
  std::string name;
};

// Replaces a rule with the same pattern (compared normalised: RuleHasPattern) in place, so
// order is kept; otherwise appends.
Status UpsertRule(nlohmann::ordered_json& doc, nlohmann::ordered_json rule) {
  if (!doc.contains("rules") || !doc["rules"].is_array())
    doc["rules"] = nlohmann::ordered_json::array();
  bool regex = rule.contains("regex");
  std::string pattern = rule[regex ? "regex" : "match"].get<std::string>();
  for (auto& r : doc["rules"]) {
    if (RuleHasPattern(r, pattern, regex)) {
      r = std::move(rule);
      return Ok();
    }
  }
  doc["rules"].push_back(std::move(rule));
  return Ok();
}

nlohmann::ordered_json BuildRule(const RuleArgs& a, const char* action) {
  nlohmann::ordered_json rule;
  if (!a.name.empty()) rule["name"] = a.name;
  rule[a.regex ? "regex" : "match"] = a.pattern;
  rule["action"] = action;
  nlohmann::ordered_json require = nlohmann::ordered_json::object();
  for (const auto& r : a.require) {
    auto [k, v] = ParseRequireArg(r);
    require[k] = v;
  }
  if (!a.base.empty()) require["base"] = a.base;
  if (!require.empty()) rule["require"] = require;
  if (!a.content.empty()) rule["content"] = a.content;
  return rule;
}

void Edit(CtlContext& ctx, const std::function<Status(nlohmann::ordered_json&)>& fn,
          const std::string& done) {
  auto st = EditPolicy(ctx.config_dir, fn);
  if (!st.ok()) return ctx.Fail(std::move(st).error());
  fmt::print("{}\n", done);
  PrintSignNotice(ctx);
}

void AddRuleCommand(CLI::App& policy, CtlContext& ctx, const char* action) {
  auto a = std::make_shared<RuleArgs>();
  bool allow = std::string(action) == "allow";
  auto* cmd =
      policy.add_subcommand(action, allow ? "Allow images matching PATTERN (with requirements)"
                                          : "Deny images matching PATTERN");
  cmd->add_option("pattern", a->pattern,
                  "glob over image names (my_company/*), or a regex with --regex")
      ->required();
  cmd->add_flag("--regex", a->regex, "PATTERN is an anchored regular expression");
  cmd->add_option("--name", a->name, "a label for the rule");
  if (allow) {
    cmd->add_option("--require", a->require, "requirement NAME[=VALUE], repeatable");
    cmd->add_option("--base", a->base, "require this registered base image");
    cmd->add_option("--content", a->content, "verify layer bytes on disk")
        ->check(CLI::IsMember({"off", "full", "cached"}));
  }
  cmd->callback([&ctx, a, action] {
    Edit(
        ctx, [&](nlohmann::ordered_json& doc) { return UpsertRule(doc, BuildRule(*a, action)); },
        fmt::format("policy: {} {}", action, a->pattern));
  });
}

void AddRemoveCommand(CLI::App& policy, CtlContext& ctx) {
  auto pattern = std::make_shared<std::string>();
  auto* cmd = policy.add_subcommand("remove", "Remove the rule with this pattern");
  cmd->add_option("pattern", *pattern,
                  "the rule's pattern (a glob in any spelling of its registry host)")
      ->required();
  cmd->callback([&ctx, pattern] {
    Edit(
        ctx,
        [&](nlohmann::ordered_json& doc) -> Status {
          auto& rules = doc["rules"];
          for (auto it = rules.begin(); it != rules.end(); ++it) {
            if (RuleHasPattern(*it, *pattern, false) || RuleHasPattern(*it, *pattern, true)) {
              rules.erase(it);
              return Ok();
            }
          }
          return MakeError(ErrorKind::kNotFound, "no rule has pattern '{}'", *pattern);
        },
        "policy: removed " + *pattern);
  });
}

void AddSetting(CLI::App& policy, CtlContext& ctx, const char* name, const char* key,
                std::vector<std::string> values, const char* help) {
  auto value = std::make_shared<std::string>();
  auto* cmd = policy.add_subcommand(name, help);
  cmd->add_option("value", *value)->required()->check(CLI::IsMember(values));
  cmd->callback([&ctx, value, key, name] {
    Edit(
        ctx,
        [&](nlohmann::ordered_json& doc) {
          doc[key] = *value;
          return Ok();
        },
        fmt::format("policy: {} {}", name, *value));
  });
}

void AddBaselineCommand(CLI::App& policy, CtlContext& ctx) {
  auto reqs = std::make_shared<std::vector<std::string>>();
  auto remove = std::make_shared<bool>(false);
  auto* cmd =
      policy.add_subcommand("baseline", "Set host-wide requirements applied to every container");
  cmd->add_option("requirements", *reqs, "NAME[=VALUE]...")->required();
  cmd->add_flag("--remove", *remove, "remove these requirements from the baseline");
  cmd->callback([&ctx, reqs, remove] {
    Edit(
        ctx,
        [&](nlohmann::ordered_json& doc) {
          if (!doc.contains("baseline") || !doc["baseline"].is_object()) {
            doc["baseline"] = nlohmann::ordered_json::object();
          }
          for (const auto& r : *reqs) {
            auto [k, v] = ParseRequireArg(r);
            if (*remove) {
              doc["baseline"].erase(k);
            } else {
              doc["baseline"][k] = v;
            }
          }
          return Ok();
        },
        "policy: baseline updated");
  });
}

void DoShow(CtlContext& ctx) {
  auto text = ReadFileLimited(PolicyPath(ctx.config_dir), kMaxPolicyBytes);
  if (!text.ok()) return ctx.Fail(std::move(text).error());
  auto policy = ParsePolicy(*text);
  fmt::print("{}", *text);
  if (!policy.ok()) return ctx.Fail(Wrap(std::move(policy).error(), "policy is invalid"));
  fmt::print("# {} rules, mode {}, default {}, digest {}\n", policy->rules.size(),
             ModeName(policy->mode), ActionName(policy->default_action), policy->digest);
}

}  // namespace

void AddPolicyCommands(CLI::App& app, CtlContext& ctx) {
  auto* policy = app.add_subcommand("policy", "Edit, show and lint the policy");
  policy->require_subcommand(1);
  AddRuleCommand(*policy, ctx, "allow");
  AddRuleCommand(*policy, ctx, "deny");
  AddRemoveCommand(*policy, ctx);
  AddSetting(*policy, ctx, "mode", "mode", {"enforce", "audit"},
             "enforce: refuse; audit: log the verdict and let it run");
  AddSetting(*policy, ctx, "default", "default", {"allow", "deny"},
             "what happens to images no rule matches");
  AddBaselineCommand(*policy, ctx);
  policy->add_subcommand("show", "Print the policy")->callback([&ctx] { DoShow(ctx); });
  policy->add_subcommand("lint", "Check the policy for errors and dead or weak rules")
      ->callback([&ctx] { ctx.exit_code = LintPolicy(ctx.config_dir); });
  AddSignedPolicyCommands(*policy, ctx);
}

}  // namespace verified::ctl
