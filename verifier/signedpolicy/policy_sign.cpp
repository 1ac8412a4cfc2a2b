#include "verifier/signedpolicy/policy_sign.h"

#include <algorithm>

#include "verifier/fs/atomic_file.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/private_key.h"
#include "verifier/core/base64.h"
#include "verifier/signedpolicy/covered_files.h"
#include "verifier/signedpolicy/go_duration.h"
#include "verifier/signedpolicy/policy_mark.h"
#include "verifier/signedpolicy/rfc3339.h"
#include "verifier/signedpolicy/signed_policy.h"

namespace verified::signedpolicy {
namespace {

constexpr int64_t kNsPerSecond = 1000 * 1000 * 1000;

int64_t CeilSeconds(int64_t ns) { return ns / kNsPerSecond + (ns % kNsPerSecond != 0 ? 1 : 0); }

// The key in policy-keys/ whose public half this is, checked against the accepted mark.
Result<std::string> PolicyKeyName(const SignRequest& req, const signature::PublicKey& pub,
                                  const std::optional<PolicyMark>& mark) {
  VERIFIED_ASSIGN_OR_RETURN(std::vector<signature::PublicKey> keys,
                            signature::ListKeys(signature::PolicyKeyDirectory(req.config_dir)));
  std::string id = "sha256:" + pub.fingerprint();
  auto it = std::find_if(keys.begin(), keys.end(),
                         [&](const auto& k) { return k.fingerprint() == pub.fingerprint(); });
  if (it == keys.end()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "{} ({}) is not a policy key: add its public key with verifiedctl policy "
                     "trust add NAME FILE.pub (or sign with a key listed by verifiedctl policy "
                     "trust list)",
                     req.key_file, id);
  }
  if (mark && !mark->policy_keys.empty() &&
      std::find(mark->policy_keys.begin(), mark->policy_keys.end(), id) ==
          mark->policy_keys.end()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "policy key {} was not listed by version {}, the last this host accepted: "
                     "the runtime would refuse its signature; sign with a key that version "
                     "trusted (it may list this one for the next version)",
                     it->name(), mark->version);
  }
  return it->name();
}

// The highest version signed here (the statement on disk) or accepted (the mark).
int64_t HighestVersion(const std::string& config_dir, const std::optional<PolicyMark>& mark) {
  int64_t v = mark ? mark->version : 0;
  auto text = ReadTrustedFile(StatementPath(config_dir), kMaxStatementBytes);
  if (text.ok()) {
    auto s = ParseStatement(*text);
    if (s.ok()) v = std::max(v, s->version);
  }
  return v;
}

}  // namespace

Result<int64_t> ParseExpires(std::string_view text, int64_t now) {
  int64_t t = 0;
  auto d = ParseGoDuration(text);
  if (d.ok()) {
    t = now + CeilSeconds(std::max<int64_t>(*d, 0));
  } else {
    auto at = ParseRfc3339(text);
    if (!at.ok()) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "--expires {}: neither a Go duration (720h, 90m) nor an RFC 3339 time "
                       "(2027-01-01T00:00:00Z)",
                       text.substr(0, 80));
    }
    t = *at;
  }
  if (t <= now) {
    return MakeError(ErrorKind::kInvalidArgument, "--expires {}: not in the future",
                     text.substr(0, 80));
  }
  if (t - now > kMaxValiditySeconds) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "--expires {}: more than {} days ahead (a policy that never expires cannot "
                     "be frozen out)",
                     text.substr(0, 80), kMaxValiditySeconds / 86400);
  }
  return t;
}

Result<int64_t> ParseGrace(std::string_view text) {
  VERIFIED_ASSIGN_OR_WRAP(int64_t ns, ParseGoDuration(text), "--grace");
  if (ns < 0 || CeilSeconds(ns) > kMaxGraceSeconds) {
    return MakeError(ErrorKind::kInvalidArgument, "--grace {}: want 0 to {}h", text.substr(0, 80),
                     kMaxGraceSeconds / 3600);
  }
  return CeilSeconds(ns);
}

Result<SignResult> SignPolicy(const SignRequest& req) {
  VERIFIED_ASSIGN_OR_RETURN(signature::PrivateKey key,
                            signature::PrivateKey::ParsePem(req.private_key_pem, req.key_file));
  if (req.expires <= req.now) {
    return MakeError(ErrorKind::kInvalidArgument, "the expiry is not after the signing time");
  }
  VERIFIED_ASSIGN_OR_RETURN(std::optional<PolicyMark> mark, ReadMark(req.state_dir));
  VERIFIED_ASSIGN_OR_RETURN(std::string signer, PolicyKeyName(req, key.public_key(), mark));
  // Registrations and policy edits take the same lock: nothing changes while it is hashed.
  VERIFIED_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(req.config_dir + "/.lock"));
  PolicyStatement s;
  VERIFIED_ASSIGN_OR_RETURN(s.files, CollectCoveredFiles(req.config_dir));
  s.version = HighestVersion(req.config_dir, mark) + 1;
  if (s.version > kMaxVersion) {
    return MakeError(ErrorKind::kTooLarge, "policy version {} exceeds the limit", s.version);
  }
  s.signed_at = req.now;
  s.expires = req.expires;
  s.grace_seconds = req.grace_seconds;
  s.key = "sha256:" + key.public_key().fingerprint();
  std::string bytes = SerializeStatement(s);
  VERIFIED_ASSIGN_OR_RETURN(std::string sig, key.Sign(bytes));
  // Self-check with the public half, as the runtime will verify it.
  VERIFIED_RETURN_IF_ERROR(signature::Verify(key.public_key(), bytes, sig));
  VERIFIED_RETURN_IF_ERROR(WriteFileAtomic(StatementPath(req.config_dir), bytes, 0644));
  VERIFIED_RETURN_IF_ERROR(
      WriteFileAtomic(SignaturePath(req.config_dir), Base64Encode(sig) + "\n", 0644));
  return SignResult{std::move(s), std::move(signer)};
}

}  // namespace verified::signedpolicy
