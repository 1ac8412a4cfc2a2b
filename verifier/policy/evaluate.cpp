#include "verifier/policy/evaluate.h"

#include <optional>

namespace verified {
namespace {

void AddUnique(std::vector<CandidateName>& names, Reference ref, NameSource source, bool selects) {
  for (const auto& n : names) {
    if (n.ref == ref) return;
  }
  names.push_back(CandidateName{std::move(ref), source, selects});
}

std::string DisplayName(const ResolvedImage& image, const MatchNames& names) {
  if (!image.typed_reference.empty()) return image.typed_reference;
  if (!names.names.empty()) return names.names.front().ref.Familiar();
  return image.image_id;
}

void RunRequirements(const std::vector<RequirementPtr>& reqs, const CheckContext& ctx,
                     const std::string& source, RuleKind kind, size_t index, Verdict& v) {
  for (const auto& req : reqs) {
    Finding f = req->Check(ctx);
    if (f.outcome == Outcome::kFail && v.decision == Action::kAllow) {
      v.decision = Action::kDeny;
      v.rule = source;
      v.kind = kind;
      v.rule_index = index;
      v.reason = source + " requires " + f.requirement + ": " + f.message;
    }
    v.findings.push_back(std::move(f));
  }
}

// The first rule in policy order whose pattern matches `ref`, nullptr when none does.
const Rule* FirstRule(const Policy& policy, const Reference& ref) {
  for (const auto& rule : policy.rules) {
    if (rule.pattern.Matches(ref)) return &rule;
  }
  return nullptr;
}

// A rule and the name that reached it.
struct Hit {
  const Rule* rule = nullptr;
  const CandidateName* name = nullptr;
};

// Why a deny rule reached by a name other than the one the user sees refuses the image.
std::string DenyReason(const Hit& hit, const std::string& display) {
  std::string rule = "deny " + hit.rule->Describe();
  auto shown = ParseReference(display);
  if (hit.name->source == NameSource::kTyped || (shown.ok() && *shown == hit.name->ref)) {
    return "it matches " + rule;
  }
  std::string name = hit.name->ref.Familiar();
  if (hit.name->source == NameSource::kRegistered) {
    return "it is registered as " + name + ", which matches " + rule;
  }
  const char* how = hit.name->ref.tag.empty() ? "named" : "tagged";
  if (hit.name->selects) return fmt::format("it is {} {}, which matches {}", how, name, rule);
  return fmt::format(
      "it is also {} {}, which matches {} (a deny rule matching any of an "
      "image's names refuses it)",
      how, name, rule);
}

}  // namespace

Result<MatchNames> CandidateNames(const ResolvedImage& image, const RegistrationStore& regs) {
  MatchNames out;
  std::optional<Reference> typed;
  if (image.typed_confirmed) {
    VERIFIED_ASSIGN_OR_RETURN(typed, ParseReference(image.typed_reference));
  } else if (!image.typed_reference.empty() && !ParseImageId(image.typed_reference)) {
    auto ref = ParseReference(image.typed_reference);
    if (ref.ok()) typed = std::move(ref).value();
  }
  if (image.typed_confirmed) {
    out.typed_by_name = typed->digest.empty();
    AddUnique(out.names, *typed, NameSource::kTyped, true);
  }
  bool selects = out.names.empty();
  for (const auto& n : image.names) {
    auto ref = ParseReference(n);
    if (ref.ok()) AddUnique(out.names, std::move(ref).value(), NameSource::kStored, selects);
  }
  if (out.names.empty()) {
    // An image storage knows by no name (untagged, or its tag moved on) is named by the
    // registrations that recorded exactly its layer chain.
    VERIFIED_ASSIGN_OR_RETURN(std::vector<Registration> by_chain,
                              regs.FindByChain(image.TopChainId()));
    for (const auto& r : by_chain) {
      if (r.chain_ids != image.chain_ids) continue;
      auto ref = ParseReference(r.name);
      if (ref.ok()) AddUnique(out.names, std::move(ref).value(), NameSource::kRegistered, true);
    }
  }
  // What the container was started with, though storage no longer maps it to this image
  // (the tag moved on): never a reason to allow, still a reason to deny.
  if (typed) AddUnique(out.names, *typed, NameSource::kTyped, false);
  return out;
}

Verdict Evaluate(const Policy& policy, const ResolvedImage& image, const Spec* spec,
                 const RegistrationStore& regs, const VerificationCacheAccess& cache) {
  Verdict v;
  v.mode = policy.mode;
  auto names = CandidateNames(image, regs);
  if (!names.ok()) return VerdictForError(names.error(), policy.mode, image.image_id);
  v.image = DisplayName(image, *names);
  v.image_id = image.image_id;

  // Per name, the first rule that matches it. The lowest such rule over the selecting names
  // decides (rule order as written); the lowest deny over all names overrides an allow.
  Hit chosen, deny;
  for (const auto& n : names->names) {
    const Rule* first = FirstRule(policy, n.ref);
    if (first == nullptr) continue;
    if (n.selects && (chosen.rule == nullptr || first->index < chosen.rule->index)) {
      chosen = Hit{first, &n};
    }
    if (first->action == Action::kDeny &&
        (deny.rule == nullptr || first->index < deny.rule->index)) {
      deny = Hit{first, &n};
    }
  }

  const Reference* matched = chosen.name ? &chosen.name->ref : nullptr;
  bool by_name = matched != nullptr && names->typed_by_name && chosen.name == &names->names.front();
  CheckContext ctx{image, matched, by_name,       chosen.rule ? &chosen.rule->pattern : nullptr,
                   spec,  regs,    policy.digest, cache};
  if (deny.rule != nullptr) {
    v.rule = deny.rule->Describe();
    v.kind = RuleKind::kRule;
    v.rule_index = deny.rule->index;
    v.decision = Action::kDeny;
    v.reason = DenyReason(deny, v.image);
  } else if (chosen.rule == nullptr) {
    v.rule = "default";
    v.kind = RuleKind::kDefault;
    v.decision = policy.default_action;
    v.reason = policy.default_action == Action::kAllow
                   ? "no rule matches; the policy default is allow"
                   : "no rule allows it and the policy default is deny (to allow it: verifiedctl "
                     "register " +
                         v.image + " && verifiedctl policy allow " + v.image +
                         " --require registered)";
  } else {
    v.rule = chosen.rule->Describe();
    v.kind = RuleKind::kRule;
    v.rule_index = chosen.rule->index;
    v.decision = Action::kAllow;
    v.reason = "allowed by " + chosen.rule->Describe();
    RunRequirements(chosen.rule->requirements, ctx, chosen.rule->Describe(), RuleKind::kRule,
                    chosen.rule->index, v);
  }
  // The baseline holds for every container, whatever decided above (even a default allow).
  if (v.decision == Action::kAllow) {
    RunRequirements(policy.baseline, ctx, "the host baseline", RuleKind::kBaseline, 0, v);
  }
  return v;
}

Verdict VerdictForError(const Error& error, Mode mode, std::string image) {
  Verdict v;
  v.mode = mode;
  v.decision = Action::kDeny;
  v.image = std::move(image);
  v.rule = "error";
  v.kind = RuleKind::kError;
  v.reason = error.What();
  v.findings.push_back(Fail("provenance", error.What()));
  return v;
}

std::string RefusalMessage(const Verdict& v) {
  std::string who = v.image.empty() ? std::string("container") : "image " + v.image;
  if (!v.image_id.empty() && v.image_id != v.image) who += " (" + v.image_id + ")";
  return "verified: refused " + who + ": " + v.reason;
}

}  // namespace verified
