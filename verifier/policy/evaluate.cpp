#include "verifier/policy/evaluate.h"

#include <algorithm>

namespace verified {
namespace {

void AddUnique(std::vector<Reference>& names, Reference ref) {
  if (std::find(names.begin(), names.end(), ref) == names.end()) names.push_back(std::move(ref));
}

std::string DisplayName(const ResolvedImage& image, const MatchNames& names) {
  if (!image.typed_reference.empty()) return image.typed_reference;
  if (!names.names.empty()) return names.names.front().Familiar();
  return image.image_id;
}

void RunRequirements(const std::vector<RequirementPtr>& reqs, const CheckContext& ctx,
                     const std::string& source, Verdict& v) {
  for (const auto& req : reqs) {
    Finding f = req->Check(ctx);
    if (f.outcome == Outcome::kFail && v.decision == Action::kAllow) {
      v.decision = Action::kDeny;
      v.rule = source;
      v.reason = source + " requires " + f.requirement + ": " + f.message;
    }
    v.findings.push_back(std::move(f));
  }
}

}  // namespace

Result<MatchNames> CandidateNames(const ResolvedImage& image, const RegistrationStore& regs) {
  MatchNames out;
  if (image.typed_confirmed) {
    VERIFIED_ASSIGN_OR_RETURN(Reference typed, ParseReference(image.typed_reference));
    out.typed_by_name = typed.digest.empty();
    out.names.push_back(std::move(typed));
    return out;
  }
  for (const auto& n : image.names) {
    auto ref = ParseReference(n);
    if (ref.ok()) AddUnique(out.names, std::move(ref).value());
  }
  if (!out.names.empty()) return out;
  // An image storage knows by no name (untagged, or its tag moved on) is named by the
  // registrations that recorded exactly its layer chain.
  VERIFIED_ASSIGN_OR_RETURN(std::vector<Registration> by_chain,
                            regs.FindByChain(image.TopChainId()));
  for (const auto& r : by_chain) {
    if (r.chain_ids != image.chain_ids) continue;
    auto ref = ParseReference(r.name);
    if (ref.ok()) AddUnique(out.names, std::move(ref).value());
  }
  return out;
}

Verdict Evaluate(const Policy& policy, const ResolvedImage& image, const Spec* spec,
                 const RegistrationStore& regs) {
  Verdict v;
  v.mode = policy.mode;
  auto names = CandidateNames(image, regs);
  if (!names.ok()) return VerdictForError(names.error(), policy.mode, image.image_id);
  v.image = DisplayName(image, *names);
  v.image_id = image.image_id;

  const Rule* chosen = nullptr;
  const Reference* matched = nullptr;
  for (const auto& rule : policy.rules) {
    for (const auto& n : names->names) {
      if (rule.pattern.Matches(n)) {
        chosen = &rule;
        matched = &n;
        break;
      }
    }
    if (chosen != nullptr) break;
  }

  bool by_name = matched != nullptr && names->typed_by_name && matched == &names->names.front();
  CheckContext ctx{image, matched, by_name, chosen ? &chosen->pattern : nullptr, spec, regs};
  if (chosen == nullptr) {
    v.rule = "default";
    v.decision = policy.default_action;
    v.reason = policy.default_action == Action::kAllow
                   ? "no rule matches; the policy default is allow"
                   : "no rule allows it and the policy default is deny (to allow it: verifiedctl "
                     "register " +
                         v.image + " && verifiedctl policy allow " + v.image +
                         " --require registered)";
  } else if (chosen->action == Action::kDeny) {
    v.rule = chosen->Describe();
    v.decision = Action::kDeny;
    v.reason = "it matches deny " + chosen->Describe();
  } else {
    v.rule = chosen->Describe();
    v.decision = Action::kAllow;
    v.reason = "allowed by " + chosen->Describe();
    RunRequirements(chosen->requirements, ctx, chosen->Describe(), v);
  }
  // The baseline holds for every container, whatever decided above (even a default allow).
  if (v.decision == Action::kAllow) RunRequirements(policy.baseline, ctx, "the host baseline", v);
  return v;
}

Verdict VerdictForError(const Error& error, Mode mode, std::string image) {
  Verdict v;
  v.mode = mode;
  v.decision = Action::kDeny;
  v.image = std::move(image);
  v.rule = "error";
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
