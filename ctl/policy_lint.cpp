#include "ctl/policy_lint.h"

#include <set>

#include "verifier/config/config_dir.h"
#include "verifier/fs/dir.h"

namespace verified::ctl {
namespace {

bool HasRequirement(const Rule& r, const std::string& name) {
  for (const auto& req : r.requirements) {
    if (req->Name() == name) return true;
  }
  return false;
}

void LintRule(const Rule& r, const RegistrationStore& regs, const std::vector<Registration>& all,
              std::vector<LintMessage>& out) {
  if (r.action != Action::kAllow) return;
  if (!HasRequirement(r, "registered")) {
    out.push_back({false, r.Describe() +
                              " allows by name only: a rebuilt or re-pointed tag would run "
                              "(add --require registered)"});
  } else {
    bool any = false;
    for (const auto& reg : all) {
      auto ref = ParseReference(reg.name);
      if (ref.ok() && r.pattern.Matches(*ref)) any = true;
    }
    if (!any) {
      out.push_back({false, r.Describe() +
                                " requires registered images but no registration matches it: "
                                "everything it covers will be refused"});
    }
  }
  for (const auto& req : r.requirements) {
    if (req->Name() != "base") continue;
    std::string base = req->Value().get<std::string>();
    auto ref = ParseReference(base);
    auto found = ref.ok() ? regs.FindByName(ref->String())
                          : Result<std::optional<Registration>>(std::optional<Registration>());
    if (!found.ok() || !*found) {
      out.push_back({false, r.Describe() + " names base " + base +
                                ", which is not registered: everything it covers will be refused"});
    }
  }
}

}  // namespace

std::vector<LintMessage> LintParsedPolicy(const Policy& p, const RegistrationStore& regs) {
  std::vector<LintMessage> out;
  auto all = regs.List();
  if (!all.ok()) out.push_back({true, "registrations unreadable: " + all.error().What()});
  const Rule* catch_all = nullptr;
  std::set<std::string> seen;
  for (const auto& r : p.rules) {
    if (catch_all != nullptr) {
      out.push_back({false, r.Describe() + " can never match: " + catch_all->Describe() +
                                " before it matches every image"});
    }
    std::string key = (r.pattern.is_regex() ? "regex:" : "glob:") + r.pattern.text();
    if (!seen.insert(key).second) {
      out.push_back({false, r.Describe() + " repeats the pattern of an earlier rule"});
    }
    if (r.pattern.MatchesEverything() && catch_all == nullptr) catch_all = &r;
    LintRule(r, regs, all.ok() ? *all : std::vector<Registration>(), out);
  }
  if (p.default_action == Action::kAllow) {
    out.push_back({false, "the default is allow: images no rule matches will run"});
  }
  if (p.mode == Mode::kAudit) {
    out.push_back({false, "mode is audit: refusals are only logged, every container runs"});
  }
  return out;
}

int LintPolicy(const std::string& config_dir) {
  std::vector<LintMessage> msgs;
  for (const auto& path : {config_dir, PolicyPath(config_dir)}) {
    auto st = CheckTrustedPath(path);
    if (!st.ok()) msgs.push_back({true, st.error().What()});
  }
  auto text = ReadFileLimited(PolicyPath(config_dir), kMaxPolicyBytes);
  if (!text.ok()) {
    msgs.push_back({true, text.error().What()});
  } else {
    auto policy = ParsePolicy(*text);
    if (!policy.ok()) {
      msgs.push_back({true, policy.error().What()});
    } else {
      auto more = LintParsedPolicy(*policy, RegistrationStore(config_dir));
      msgs.insert(msgs.end(), more.begin(), more.end());
    }
  }
  int errors = 0;
  for (const auto& m : msgs) {
    fmt::print("{}: {}\n", m.error ? "error" : "warning", m.text);
    errors += m.error ? 1 : 0;
  }
  if (msgs.empty()) fmt::print("policy OK\n");
  return errors > 0 ? 1 : 0;
}

}  // namespace verified::ctl
