#include "verifier/decision/seal_rules.h"

#include <sys/stat.h>

#include <algorithm>
#include <memory>

#include "verifier/checks/sealed.h"
#include "verifier/decision/ns_join.h"
#include "verifier/seal/seal_index.h"

namespace verified {
namespace {

// Rule 1: the seal belongs to another container, so this container's own rule and mode do not
// matter.
void DenyForOthersSeal(Decision& d, const std::string& reason) {
  d.verdict.decision = Action::kDeny;
  d.verdict.mode = Mode::kEnforce;
  d.verdict.rule = "the seal of another container";
  d.verdict.kind = RuleKind::kOthersSeal;
  d.verdict.rule_index = 0;
  d.verdict.reason = reason;
  d.verdict.findings.push_back(Fail("sealed (another container)", reason));
}

// The container's own `sealed` requirement fails: enforced or audited as its rule says.
void FailOwnSeal(Decision& d, const std::string& message) {
  if (d.verdict.decision == Action::kAllow) {
    d.verdict.decision = Action::kDeny;
    d.verdict.reason = d.verdict.rule + " requires " + kSealedRequirement + ": " + message;
  }
  d.verdict.findings.push_back(Fail(kSealedRequirement, message));
}

// Rules 1 and 2 for the spec's joins; returns the step detail.
std::string JudgeJoins(Decision& d, const Spec& spec, const SealRulesInput& in) {
  auto joins = JoinedNamespaces(spec);
  if (joins.empty()) return "joins no namespace";
  std::string detail = std::to_string(joins.size()) + " namespace join(s)";
  if (d.verdict.Allowed()) {
    if (auto reason = JoinsSealedNamespace(joins, in.seal_dir)) {
      DenyForOthersSeal(d, *reason);
      return detail + ": " + *reason;
    }
  }
  if (!SealEvaluated(d.verdict)) return detail + ", none held by a sealed container";
  if (!in.judge_own_joins) {
    return detail +
           ", none held by a sealed container; the sealed container's own joins not "
           "judged (runc root unknown)";
  }
  if (auto reason = SealedJoinRefusal(spec, joins, in.runtime_root)) {
    FailOwnSeal(d, *reason);
    return detail + ": " + *reason;
  }
  return detail + ", all allowed for a sealed container";
}

// Why verified-runtime did not record this container's seal ("" when it did). The key is the
// one the wrapper writes before runc runs (shim/seal_guard.cpp ApplySeal): root.path's
// identity; the runtime then runs the hook for the same container, which finds it.
std::string MissingWrapperSeal(const Decision& d, const std::string& container_id,
                               const std::string& seal_dir) {
  auto name = RootEntryNameFor(d.rootfs);
  if (!name.ok()) return name.error().What();
  auto entry = ReadSealEntry(seal_dir, *name);
  if (!entry.ok()) return "cannot read the seal index: " + entry.error().What();
  if (*entry && (*entry)->container_id == container_id) return "";
  return "sealed image: only verified-runtime can refuse exec into it, and it is not the "
         "runtime creating this container (verified-hook cannot see exec): run it with "
         "--runtime verified";
}

// The hook's seal rule (seal_rules.h): returns the step detail, "" when it does not apply.
std::string RequireWrapperSeal(Decision& d, const SealRulesInput& in) {
  const Verdict& v = d.verdict;
  if (in.sees_exec || !v.Allowed() || v.mode != Mode::kEnforce || !SealEvaluated(v)) return "";
  std::string missing = MissingWrapperSeal(d, in.container_id, in.seal_dir);
  if (missing.empty()) return "; seal recorded by verified-runtime";
  FailOwnSeal(d, missing);
  return "; " + missing;
}

}  // namespace

bool SealEvaluated(const Verdict& v) {
  return std::any_of(v.findings.begin(), v.findings.end(), [](const Finding& f) {
    return f.requirement == kSealedRequirement && f.outcome != Outcome::kNotEvaluated;
  });
}

std::string ApplySealRules(Decision& d, const SealRulesInput& in) {
  std::string detail;
  std::shared_ptr<const Spec> spec = d.spec;
  if (!spec && d.verdict.Allowed() && !in.bundle_dir.empty()) {
    // Allowed without a spec (an audit-mode error): rule 1 is enforced all the same.
    auto loaded = LoadSpec(in.bundle_dir);
    if (!loaded.ok()) {
      std::string reason =
          "cannot read the spec to check its namespace joins: " + loaded.error().What();
      DenyForOthersSeal(d, reason);
      return reason;
    }
    spec = std::make_shared<const Spec>(std::move(loaded).value());
    d.spec = spec;
  }
  detail = spec ? JudgeJoins(d, *spec, in) : "not run: no spec";
  if (in.restore && SealEvaluated(d.verdict)) {
    FailOwnSeal(d,
                "sealed image: it cannot be restored from a checkpoint: restore takes the "
                "process's code and memory from --image-path, which no policy checked");
    detail += "; restore of a sealed image refused";
  }
  return detail + RequireWrapperSeal(d, in);
}

std::optional<SealIntent> SealIntentFor(const Decision& d, const std::string& container_id) {
  const Verdict& v = d.verdict;
  if (!v.Allowed() || !SealEvaluated(v)) return std::nullopt;
  SealIntent s;
  s.container_id = container_id;
  s.image = v.image;
  s.image_id = v.image_id;
  s.rule = v.rule;
  s.mode = v.mode;
  if (d.spec) s.namespaces = CreatedNamespaces(*d.spec);
  return s;
}

}  // namespace verified
