#include "verifier/decision/decide.h"

#include <chrono>
#include <climits>
#include <cstdlib>
#include <optional>

#include "verifier/bundle/mount_lookup.h"
#include "verifier/config/config_dir.h"
#include "verifier/config/state_dir.h"
#include "verifier/crypto/sha256.h"
#include "verifier/decision/runc_state.h"
#include "verifier/decision/seal_rules.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/policy/policy_file.h"
#include "verifier/registry/registration_store.h"
#include "verifier/seal/seal_index.h"
#include "verifier/store/stores.h"

namespace verified {
namespace {

using Clock = std::chrono::steady_clock;
using Stores = std::vector<std::unique_ptr<Store>>;

// Positions in Decision::steps (kDecisionStepNames).
enum StepIndex : size_t { kPolicyStep, kSpecStep, kMountStep, kStoreStep, kChecksStep, kJoinsStep };

int64_t UsSince(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t).count();
}

Decision Begin() {
  Decision d;
  for (const char* name : kDecisionStepNames) d.steps.push_back(DecisionStep{name, 0, ""});
  return d;
}

void Record(Decision& d, StepIndex s, Clock::time_point t, std::string detail) {
  d.steps[s].elapsed_us = UsSince(t);
  d.steps[s].detail = std::move(detail);
}

void Finish(Decision& d, Clock::time_point start) {
  for (auto& s : d.steps) {
    if (s.detail.empty()) s.detail = "not run";
  }
  d.elapsed_us = UsSince(start);
}

std::string SealDirOr(const std::string& dir) { return dir.empty() ? kDefaultSealDir : dir; }

std::string RealPathOr(const std::string& path) {
  char buf[PATH_MAX];
  return realpath(path.c_str(), buf) != nullptr ? std::string(buf) : path;
}

// What the policy step needs to know besides the config dir.
struct PolicySource {
  const std::string& config_dir;
  const std::string& state_dir;  ///< "" = kDefaultStateDir
  int64_t now_unix = 0;          ///< 0 = the system clock
  bool raise_mark = false;
  const Policy* shared = nullptr;
  const signedpolicy::SignedPolicyCheck* shared_signed = nullptr;
  DeferredWrites* defer = nullptr;  ///< CreateRequest::defer_writes
};

int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The signed-policy check of the policy loaded (its digest: the bytes parsed are the bytes
// signed). A refusal denies whatever the mode: an unverified policy's mode is not the host's.
bool SignedPolicyOk(Decision& d, const signedpolicy::SignedPolicyCheck& c) {
  if (c.required) d.policy_signature = c.Summary();
  if (c.Accepted()) return true;
  d.verdict =
      VerdictForError(MakeError(ErrorKind::kIntegrity, "{}", c.message), Mode::kEnforce, "");
  return false;
}

// Step "policy": the shared policy, or the one loaded into `owned`, once its signature (when
// the host requires one) is accepted; nullptr after recording a deny (whatever the mode:
// without a policy the mode is unknown too).
// `own_check` keeps the check made here; `signed_regs` is what the registration store must
// check under it.
const Policy* PolicyStep(Decision& d, const PolicySource& src, std::optional<Policy>& owned,
                         std::optional<signedpolicy::SignedPolicyCheck>& own_check,
                         SignedRegistrations& signed_regs) {
  auto t = Clock::now();
  const Policy* policy = src.shared;
  if (policy == nullptr) {
    auto loaded = LoadPolicy(src.config_dir);
    if (!loaded.ok()) {
      d.verdict = VerdictForError(loaded.error(), Mode::kEnforce, "");
      Record(d, kPolicyStep, t, "cannot be used: " + loaded.error().What());
      return nullptr;
    }
    owned = std::move(loaded).value();
    policy = &*owned;
  }
  if (src.shared_signed == nullptr) {
    // Registration files are checked as the decision reads them (RegistrationStore).
    own_check = signedpolicy::CheckSignedPolicy(
        {src.config_dir, src.state_dir.empty() ? kDefaultStateDir : src.state_dir,
         src.now_unix != 0 ? src.now_unix : NowUnix(), policy->digest, src.raise_mark, false,
         src.defer});
  }
  const auto& check = src.shared_signed != nullptr ? *src.shared_signed : *own_check;
  if (!SignedPolicyOk(d, check)) {
    Record(d, kPolicyStep, t, "refused: " + check.message);
    return nullptr;
  }
  signed_regs = signedpolicy::SignedRegistrationsFor(check);
  d.policy_digest = policy->digest;
  Record(d, kPolicyStep, t,
         fmt::format("digest {} ({} mode, {} rules){}", policy->digest, ModeName(policy->mode),
                     policy->rules.size(),
                     d.policy_signature.empty() ? "" : ", " + d.policy_signature));
  return policy;
}

std::string MountDetail(const std::vector<MountEntry>& mounts, const std::string& rootfs) {
  const MountEntry* m = FindMountAt(mounts, rootfs);
  if (m == nullptr) return fmt::format("{} entries, none at {}", mounts.size(), rootfs);
  return m->fs_type + " at " + rootfs;
}

std::string ChecksDetail(const Verdict& v) {
  return v.rule + ": " + ActionName(v.decision) + (v.mode == Mode::kAudit ? " (audit mode)" : "");
}

std::string StateDirOrDefault(const std::string& state_dir) {
  return state_dir.empty() ? kDefaultStateDir : state_dir;
}

// Steps "store" and "checks".
void ResolveAndEvaluate(Decision& d, const Policy& policy, const ContainerContext& ctx,
                        const Stores& stores, const std::string& config_dir,
                        const std::string& image_typed, const SignedRegistrations& signed_regs,
                        const VerificationCacheAccess& cache) {
  auto t = Clock::now();
  auto image = ResolveImage(ctx, stores);
  if (!image.ok()) {
    Record(d, kStoreStep, t, "not proven: " + image.error().What());
    d.verdict = VerdictForError(image.error(), policy.mode, image_typed);
    return;
  }
  d.engine = image->engine;
  d.top_chain_id = image->TopChainId();
  Record(d, kStoreStep, t, d.engine + " image " + image->image_id);
  d.image = std::move(image).value();
  t = Clock::now();
  RegistrationStore regs(config_dir, signed_regs);
  d.verdict = Evaluate(policy, *d.image, d.spec.get(), regs, cache);
  d.registrations = regs.reads();
  Record(d, kChecksStep, t, ChecksDetail(d.verdict));
}

// Steps "spec" to "checks" for a container being created: every failure denies.
void CreateSteps(Decision& d, const Policy& policy, const CreateRequest& req,
                 const SignedRegistrations& signed_regs) {
  auto fail = [&](StepIndex s, Clock::time_point t, const Error& e) {
    Record(d, s, t, "failed: " + e.What());
    d.verdict = VerdictForError(e, policy.mode, "");
  };
  auto t = Clock::now();
  auto spec = LoadSpec(req.bundle_dir);
  if (!spec.ok()) return fail(kSpecStep, t, spec.error());
  d.spec = std::make_shared<const Spec>(std::move(spec).value());
  auto rootfs = ResolveRootPath(req.bundle_dir, *d.spec);
  if (!rootfs.ok()) return fail(kSpecStep, t, rootfs.error());
  d.rootfs = *rootfs;
  Record(d, kSpecStep, t, "rootfs " + d.rootfs);
  t = Clock::now();
  auto mounts = req.mountinfo_path.empty() ? MountsAt(d.rootfs) : ReadMountinfo(req.mountinfo_path);
  if (!mounts.ok()) return fail(kMountStep, t, mounts.error());
  Record(d, kMountStep, t, MountDetail(*mounts, d.rootfs));
  ContainerContext ctx{req.container_id, req.bundle_dir, d.spec.get(), d.rootfs, &*mounts};
  // The create decision records new successful verifications; a hit skips the public-key
  // operation only (the chain below the signature is proven again, checks/signed_by.cpp).
  VerificationCacheAccess cache{StateDirOrDefault(req.state_dir), true, req.defer_writes};
  if (req.stores != nullptr) {
    return ResolveAndEvaluate(d, policy, ctx, *req.stores, req.config_dir, "", signed_regs, cache);
  }
  ResolveAndEvaluate(d, policy, ctx, AllStores(), req.config_dir, "", signed_regs, cache);
}

// Step "spec" for an existing container: its bundle when there is one, else the engine's
// rootfs; nothing here denies (the store step does, when the rootfs proves nothing).
void ExistingSpec(Decision& d, const ExistingContainer& c) {
  auto t = Clock::now();
  d.rootfs = c.rootfs.empty() ? "" : RealPathOr(c.rootfs);
  std::string detail = "no bundle (the container is not running): the engine's rootfs";
  if (!c.bundle_dir.empty()) {
    auto loaded = LoadSpec(c.bundle_dir);
    if (loaded.ok()) {
      d.spec = std::make_shared<const Spec>(std::move(loaded).value());
      auto root = ResolveRootPath(c.bundle_dir, *d.spec);
      if (root.ok()) {
        d.rootfs = *root;
        detail = c.bundle_dir + "/config.json, root.path";
      } else {
        d.notes.push_back("root.path of the spec: " + root.error().What());
        detail = "root.path unusable: the engine's rootfs";
      }
    } else {
      d.notes.push_back("OCI spec unreadable: " + loaded.error().What());
      detail = "bundle unreadable: the engine's rootfs";
    }
  }
  if (c.running && !d.spec) d.notes.push_back("spec requirements not evaluated (no OCI spec)");
  Record(d, kSpecStep, t, detail + " " + (d.rootfs.empty() ? "unknown" : d.rootfs));
}

// Steps "mount" to "checks" for an existing container.
void ExistingSteps(Decision& d, const Policy& policy, const ExistingContainer& c,
                   const SharedInputs& shared, const SignedRegistrations& signed_regs) {
  ExistingSpec(d, c);
  auto t = Clock::now();
  const std::vector<MountEntry>* mounts = nullptr;
  std::vector<MountEntry> own;
  if (!c.running) {
    Record(d, kMountStep, t, "skipped: the container is not running (its rootfs is not mounted)");
    d.notes.push_back("not running: the rootfs mount was not cross-checked");
  } else if (shared.mounts != nullptr) {
    mounts = shared.mounts;
  } else if (auto m = ReadMountinfo(c.mountinfo_path); m.ok()) {
    own = std::move(m).value();
    mounts = &own;
  } else {
    std::string note = "mount table unreadable, rootfs cross-check skipped: " + m.error().What();
    Record(d, kMountStep, t, note);
    d.notes.push_back(note);
  }
  if (mounts != nullptr) Record(d, kMountStep, t, MountDetail(*mounts, d.rootfs));
  if (d.rootfs.empty()) {
    Error e = MakeError(ErrorKind::kNotFound, "the engine reports no root filesystem path");
    d.verdict = VerdictForError(e, policy.mode, c.image_typed);
    Record(d, kStoreStep, Clock::now(), "not proven: " + e.What());
    return;
  }
  ContainerContext ctx{c.container_id, c.bundle_dir, d.spec.get(), d.rootfs, mounts};
  VerificationCacheAccess cache{StateDirOrDefault(c.state_dir), false};  // read, never written
  if (shared.stores != nullptr) {
    return ResolveAndEvaluate(d, policy, ctx, *shared.stores, c.config_dir, c.image_typed,
                              signed_regs, cache);
  }
  ResolveAndEvaluate(d, policy, ctx, AllStores(), c.config_dir, c.image_typed, signed_regs, cache);
}

void EvaluateWhatIf(const std::vector<WhatIfRequirement>& what_if, const ResolvedImage& image,
                    const RegistrationStore& regs, Verdict& v) {
  for (const auto& w : what_if) {
    if (!w.requirement) continue;
    CheckContext cc{image, nullptr, false, nullptr, nullptr, regs};
    Finding f = w.requirement->Check(cc);
    f.requirement += " (--require)";
    if (f.outcome == Outcome::kFail && v.decision == Action::kAllow) {
      v.decision = Action::kDeny;
      v.rule = "--require " + w.name;
      v.kind = RuleKind::kCheckOption;
      v.rule_index = 0;
      v.reason = "--require " + w.name + ": " + f.message;
    }
    v.findings.push_back(std::move(f));
  }
}

// How many times a create is decided when policy.json keeps changing under it.
constexpr int kPolicyAttempts = 3;

// Whether <config_dir>/policy.json still holds the bytes whose digest is `digest`. The policy is
// read at the start of a decision and the registrations near its end: an edit of both in between
// (deny the rule, then register the image) would let an allow be made under a (policy,
// registrations) pair that never held on the host. The same policy before and after the
// registrations were read proves the pair held when they were read (a rename is atomic, and
// verifiedctl replaces policy.json by rename).
bool PolicyStill(const std::string& config_dir, const std::string& digest) {
  auto text = ReadTrustedFile(PolicyPath(config_dir), kMaxPolicyBytes);
  return text.ok() && Sha256Digest(*text) == digest;
}

}  // namespace

Decision Decide(const CreateRequest& req) {
  auto start = Clock::now();
  Decision d;
  for (int attempt = 1;; ++attempt) {
    d = Begin();
    std::optional<Policy> owned;
    std::optional<signedpolicy::SignedPolicyCheck> check;
    SignedRegistrations signed_regs;
    PolicySource src{req.config_dir, req.state_dir, req.now_unix,    true,
                     nullptr,        nullptr,       req.defer_writes};
    if (const Policy* policy = PolicyStep(d, src, owned, check, signed_regs)) {
      CreateSteps(d, *policy, req, signed_regs);
    }
    if (attempt > 1) d.steps[kPolicyStep].detail += fmt::format(" (attempt {})", attempt);
    if (!d.verdict.Allowed() || PolicyStill(req.config_dir, d.policy_digest)) break;
    if (attempt == kPolicyAttempts) {
      d.verdict = VerdictForError(
          MakeError(ErrorKind::kInconsistent,
                    "policy {} changed while each of {} attempts to decide read the "
                    "registrations; create the container again once the edits are done",
                    PolicyPath(req.config_dir), kPolicyAttempts),
          Mode::kEnforce, "");
      break;
    }
  }
  auto t = Clock::now();
  SealRulesInput in{req.container_id,
                    req.bundle_dir,
                    SealDirOr(req.seal_dir),
                    RuncStateRoot(req.runtime_root),
                    true,
                    req.command == "restore",
                    req.sees_exec};
  Record(d, kJoinsStep, t, ApplySealRules(d, in));
  d.seal = SealIntentFor(d, req.container_id);
  Finish(d, start);
  return d;
}

Decision Decide(const ExistingContainer& c, const SharedInputs& shared) {
  auto start = Clock::now();
  Decision d = Begin();
  std::optional<Policy> owned;
  std::optional<signedpolicy::SignedPolicyCheck> check;
  SignedRegistrations signed_regs;
  PolicySource src{c.config_dir, c.state_dir, 0, false, shared.policy, shared.signed_policy};
  if (const Policy* policy = PolicyStep(d, src, owned, check, signed_regs)) {
    ExistingSteps(d, *policy, c, shared, signed_regs);
  }
  auto t = Clock::now();
  // The spec step already read the bundle: no second attempt here (bundle_dir "").
  SealRulesInput in{c.container_id,          "",
                    SealDirOr(c.seal_dir),   RuncStateRoot(c.runtime_root),
                    !c.runtime_root.empty(), false};
  Record(d, kJoinsStep, t, ApplySealRules(d, in));
  d.seal = SealIntentFor(d, c.container_id);
  Finish(d, start);
  return d;
}

Decision DecideImage(const std::string& config_dir, const ResolvedImage& image,
                     const std::vector<WhatIfRequirement>& what_if, const std::string& state_dir) {
  auto start = Clock::now();
  Decision d = Begin();
  std::optional<Policy> owned;
  std::optional<signedpolicy::SignedPolicyCheck> check;
  SignedRegistrations signed_regs;
  const Policy* policy =
      PolicyStep(d, PolicySource{config_dir, state_dir}, owned, check, signed_regs);
  d.steps[kSpecStep].detail = "not run: an image on its own has no spec";
  d.steps[kMountStep].detail = "not run: an image on its own has no mount";
  d.steps[kJoinsStep].detail = "not run: an image on its own joins no namespace";
  if (policy != nullptr) {
    auto t = Clock::now();
    d.engine = image.engine;
    d.top_chain_id = image.TopChainId();
    d.image = image;
    Record(d, kStoreStep, t, image.engine + " image " + image.image_id + " (proven by the caller)");
    t = Clock::now();
    RegistrationStore regs(config_dir, signed_regs);
    d.verdict = Evaluate(*policy, image, nullptr, regs,
                         VerificationCacheAccess{StateDirOrDefault(state_dir), false});
    EvaluateWhatIf(what_if, image, regs, d.verdict);
    d.registrations = regs.reads();
    Record(d, kChecksStep, t, ChecksDetail(d.verdict));
  }
  Finish(d, start);
  return d;
}

}  // namespace verified
