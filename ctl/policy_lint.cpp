#include "ctl/policy_lint.h"

#include <set>

#include "verifier/config/config_dir.h"
#include "verifier/fs/dir.h"
#include "verifier/policy/policy_keys.h"

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
  // A signature binds the bytes as a registration does (signed digest -> manifest -> config).
  bool registered = HasRequirement(r, "registered");
  if (!registered && !HasRequirement(r, "signed_by")) {
    out.push_back({false, r.Describe() +
                              " allows by name only: a rebuilt or re-pointed tag would run "
                              "(add --require registered)"});
  } else if (registered) {
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

// Two capitals in a row outside an escape (^EVIL\.IO/): a literal spelt in capitals, not a
// class like [A-Z] or \S.
bool HasCapitalWord(const std::string& s) {
  auto cap = [](char c) { return c >= 'A' && c <= 'Z'; };
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (cap(s[i]) && cap(s[i + 1]) && (i == 0 || s[i - 1] != '\\')) return true;
  }
  return false;
}

// A registration stored before registry hosts were case-folded keeps its old spelling: it
// still names its chain, but a lookup by the (normalised) name no longer finds it.
void LintRegistrationNames(const std::vector<Registration>& all, std::vector<LintMessage>& out) {
  for (const auto& reg : all) {
    auto ref = ParseReference(reg.name);
    if (ref.ok() && ref->String() != reg.name) {
      out.push_back({false, "registration " + reg.name + " was stored under an older spelling of " +
                                ref->domain + ": run verifiedctl register " + ref->Familiar() +
                                " again (and unregister the old one), or run by that name is "
                                "refused as not registered"});
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
    // Globs are compared as they are matched: "EVIL.IO/*" repeats "evil.io/*".
    std::string key = (r.pattern.is_regex() ? "regex:" : "glob:") + r.pattern.key();
    if (!seen.insert(key).second) {
      out.push_back({false, r.Describe() + " repeats the pattern of an earlier rule"});
    }
    if (r.pattern.is_regex() && HasCapitalWord(r.pattern.text())) {
      out.push_back({false, r.Describe() +
                                " has capital letters: names are matched normalised (registry "
                                "host and repository lower case, e.g. evil.io/x for EVIL.IO/x), "
                                "so capitals match only in tags"});
    }
    if (r.pattern.MatchesEverything() && catch_all == nullptr) catch_all = &r;
    LintRule(r, regs, all.ok() ? *all : std::vector<Registration>(), out);
  }
  if (all.ok()) LintRegistrationNames(*all, out);
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
      // The runtime loads the policy with the same key check (LoadPolicy): a missing key is an
      // error here exactly when it would refuse every create there.
      auto keys = CheckPolicyKeys(*policy, config_dir);
      if (!keys.ok()) msgs.push_back({true, keys.error().What()});
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
