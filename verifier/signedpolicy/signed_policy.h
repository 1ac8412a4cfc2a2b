// The signed-policy check every create makes once <config-dir>/policy-keys/ holds a key:
//
//   policy-keys/ empty              -> not required (the host runs its policy as before)
//   policy.sig.json or policy.sig   -> refused: unsigned
//     missing
//   signature by no trusted key     -> refused: untrusted key (a key not in policy-keys/, or,
//                                      once a version was accepted, not among the keys that
//                                      version listed) / signature does not verify
//   statement malformed             -> refused
//   a covered file differs          -> refused: unsigned edit (changed, added, removed)
//   version < high-water mark       -> refused: rollback
//   now >= expires + grace          -> refused: expired
//   expires <= now < expires+grace  -> accepted with a warning
//   accepted, version > mark        -> the mark is raised (its write failure is a warning: the
//                                      version accepted is the newer one, never an older one)
//
// Whatever the policy's mode: an audit-mode policy that cannot be shown to be the signed one
// is not the policy, so it cannot turn its own refusal into an allow.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "verifier//core/result.h"
#include "verifier/fs/deferred_writes.h"
#include "verifier/registry/registration_store.h"
#include "verifier/signedpolicy/policy_statement.h"

namespace verified::signedpolicy {

/// <config-dir>/policy.sig.json: the statement, signed as its exact bytes.
std::string StatementPath(const std::string& config_dir);
/// <config-dir>/policy.sig: the detached signature, base64 (one line, as `cosign sign-blob`
/// and `openssl dgst -sign | base64 -w0` write it).
std::string SignaturePath(const std::string& config_dir);

/// Largest signature file read (an RSA-8192 signature is 1368 base64 characters).
inline constexpr size_t kMaxSignatureFileBytes = 4096;

/// Why a signed policy is refused; each has its own message prefix (SignedPolicyCheck::message).
enum class PolicyRefusal {
  kNone,
  kKeysUnreadable,  ///< "signed policy: cannot read the policy keys"
  kUnsigned,        ///< "signed policy: the policy is unsigned"
  kUntrustedKey,    ///< "signed policy: signed by an untrusted key"
  kBadSignature,    ///< "signed policy: the signature does not verify"
  kMalformed,       ///< "signed policy: the signed statement is malformed"
  kUnsignedEdit,    ///< "signed policy: unsigned edit"
  kRollback,        ///< "signed policy: rollback"
  kExpired,         ///< "signed policy: expired"
  kMarkUnreadable,  ///< "signed policy: cannot read the high-water mark"
};

/// What the check is asked.
struct SignedPolicyInput {
  std::string config_dir;
  std::string state_dir;
  int64_t now = 0;  ///< Unix seconds: the injectable clock
  /// "sha256:<hex>" of the policy.json bytes the caller parsed ("" = not compared): they must
  /// be the signed bytes, so the policy used is the policy checked.
  std::string policy_digest;
  /// Raise the high-water mark when a newer version is accepted (the runtime and the hook;
  /// verifiedctl's check, explain and audit only look).
  bool raise_mark = false;
  /// Hash every registration file and refuse any added or removed one (verifiedctl policy
  /// status, audit). False for decisions: images/ is neither listed nor read here; the
  /// registration files the decision reads are checked as they are read
  /// (SignedRegistrationsFor), and the verified statement may come from the state dir's
  /// statement cache (statement_cache.h) instead of being read and parsed.
  bool hash_registrations = true;
  /// When set (a sandboxed create decision), the mark raise and the cache writes are recorded
  /// here for the caller to make (verifier/decision/state_updates.h) instead of made.
  DeferredWrites* defer = nullptr;
};

/// The outcome.
struct SignedPolicyCheck {
  bool required = false;  ///< policy-keys/ holds at least one key
  PolicyRefusal refusal = PolicyRefusal::kNone;
  std::string message;  ///< the refusal ("signed policy: <case>: ..."), "" when accepted
  std::string warning;  ///< grace period, or the mark could not be raised; "" when none
  std::optional<PolicyStatement> statement;  ///< when its signature verified and it parsed
  std::string signer;                        ///< the trusted key's name
  int64_t accepted_version = 0;              ///< the mark when checked (0: none)
  /// The signature's verification was found in the state dir's cache (verify_cache.h)
  /// instead of being computed; every other check ran.
  bool cached = false;
  /// The verified statement came from the state dir's statement cache (statement_cache.h):
  /// statement->files then holds only the entries outside images/, and `files` answers for
  /// the rest one path at a time.
  bool statement_cached = false;
  /// The statement's file list, looked up by path; set when accepted.
  std::shared_ptr<const SignedFileLookup> files;

  bool Accepted() const { return refusal == PolicyRefusal::kNone; }
  /// One line for logs and verifiedctl: "signed policy: not required (no policy keys)",
  /// "signed policy: version 4 signed by ci (expires 2027-01-06T17:00:00Z)", or the refusal
  /// message; "; WARNING: " and the warning appended when there is one.
  std::string Summary() const;
};

/// Runs the check (see the table above). Never fails: every error is a refusal.
SignedPolicyCheck CheckSignedPolicy(const SignedPolicyInput& in);

/// What the registration store must check of the files it reads under an accepted signed
/// policy (verifier/registry/registration_store.h); empty (no check) when none is required.
SignedRegistrations SignedRegistrationsFor(const SignedPolicyCheck& check);

}  // namespace verified::signedpolicy
