// The one create decision: every entry point (verified-runtime, verified-hook, verifiedctl
// check, explain and audit) calls these functions, so they cannot disagree.
//
//   policy -> spec -> mount -> store -> checks -> namespace joins
//
// Each step is recorded in Decision::steps with its time. Nothing after a Decide* call changes
// the verdict: the caller logs it, then execs runc (recording Decision::seal first) or refuses.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "verifier/bundle/mountinfo.h"
#include "verifier/checks/requirement.h"
#include "verifier/decision/decision.h"
#include "verifier/decision/request.h"
#include "verifier/policy/policy.h"
#include "verifier/signedpolicy/signed_policy.h"
#include "verifier/store/store.h"

namespace verified {

/// Loads the policy (<config_dir>/policy.json) once and, when <config_dir>/policy-keys/ holds a
/// key, checks that those very bytes are the signed policy (verifier/signedpolicy/
/// signed_policy.h: unsigned, untrusted key, bad signature, unsigned edit, rollback, expired
/// deny whatever the policy's mode; a newer accepted version raises the high-water mark in
/// req.state_dir); then the bundle's config.json once, the mount table
/// at root.path, resolves the image once through every store, evaluates the policy once, and
/// applies the namespace-join rules and the sealed-restore refusal
/// (verifier/decision/seal_rules.h). Never fails: any error becomes a deny verdict of kind
/// kError (or an audit-mode allow when the policy says audit) naming what to fix; a missing or
/// unreadable policy denies whatever the mode.
/// An allow stands only if policy.json still has the digest decided under once the
/// registrations were read (so the policy and the registrations the verdict names held
/// together at that moment); otherwise the whole decision is made again, and a policy that
/// changed under each of 3 attempts denies whatever the mode (kInconsistent).
/// Decision::registrations names the registration files read, with their digests.
Decision Decide(const CreateRequest& req);

/// What many decisions about existing containers may share (verifiedctl audit decides every
/// container of a host). Every pointer may be null: the decision then loads or reads it itself.
struct SharedInputs {
  const Policy* policy = nullptr;  ///< already loaded from the request's config dir
  /// The signed-policy check of that policy (required with `policy`: a shared policy is used
  /// only as the check found it).
  const signedpolicy::SignedPolicyCheck* signed_policy = nullptr;
  /// The mount table, already read (used for running containers only).
  const std::vector<MountEntry>* mounts = nullptr;
  /// The stores to resolve through (one set per thread: resolvers need not be thread-safe).
  const std::vector<std::unique_ptr<Store>>* stores = nullptr;
};

/// The same decision for a container that exists already, on its real bundle: what Decide
/// would decide if it were created now. Differences, each said in Decision::notes and the
/// step's detail: without a bundle (or with an unreadable one) the engine's rootfs is used and
/// spec requirements report not evaluated; a container that is not running (or whose mount
/// table cannot be read) is resolved without the mount cross-check; rule 2 of the namespace
/// joins is skipped when c.runtime_root is "". Never fails (errors are kError verdicts).
Decision Decide(const ExistingContainer& c, const SharedInputs& shared = {});

/// A requirement evaluated on top of the policy (verifiedctl check --require NAME[=VALUE]).
struct WhatIfRequirement {
  std::string name;  ///< as typed, for the verdict's rule text ("--require NAME")
  RequirementPtr requirement;
};

/// The decision for an image on its own (verifiedctl check): the same policy load and the same
/// evaluation as Decide, with no spec (spec requirements report not evaluated), no mount and no
/// namespace joins; `image` was proven by the caller from the engine. `what_if` requirements are
/// evaluated after the policy as if the image's rule required them: the first that fails turns
/// an allow into a deny of kind kCheckOption. Never fails (a policy that cannot be loaded is a
/// kError verdict with an empty policy_digest).
/// The signed-policy check is made as for Decide, reading the mark of `state_dir` ("" =
/// kDefaultStateDir) without raising it.
Decision DecideImage(const std::string& config_dir, const ResolvedImage& image,
                     const std::vector<WhatIfRequirement>& what_if = {},
                     const std::string& state_dir = "");

}  // namespace verified
