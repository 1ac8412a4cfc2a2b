#include "verifier/signedpolicy/signed_policy.h"

#include <algorithm>
#include <vector>

#include "verifier/core/base64.h"
#include "verifier/core/json.h"
#include "verifier/crypto/sha256.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/signature/key_der.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signedpolicy/covered_files.h"
#include "verifier/signedpolicy/policy_mark.h"
#include "verifier/signedpolicy/rfc3339.h"
#include "verifier/signedpolicy/statement_cache.h"
#include "verifier/signedpolicy/verify_cache.h"

namespace verified::signedpolicy {
namespace {

using signature::PublicKey;

std::string KeyId(const PublicKey& k) { return "sha256:" + k.fingerprint(); }

SignedPolicyCheck& Refuse(SignedPolicyCheck& c, PolicyRefusal why, std::string message) {
  c.refusal = why;
  c.message = "signed policy: " + std::move(message);
  return c;
}

struct SignedFiles {
  std::string statement;
  std::string signature;  ///< decoded
  /// Both files' stat identity, when it was the same before and after their bytes were read
  /// (nullopt otherwise: a concurrent write; such bytes are used but not cached).
  std::optional<std::pair<FileStamp, FileStamp>> stamps;
};

// Both files, or kNotFound naming the missing one.
Result<SignedFiles> ReadSignedFiles(const std::string& config_dir) {
  SignedFiles out;
  std::optional<FileStamp> st, sg;
  VERIFIED_ASSIGN_OR_RETURN(
      out.statement, ReadTrustedFileStamped(StatementPath(config_dir), kMaxStatementBytes, st));
  VERIFIED_ASSIGN_OR_RETURN(std::string sig, ReadTrustedFileStamped(SignaturePath(config_dir),
                                                                    kMaxSignatureFileBytes, sg));
  if (st && sg) out.stamps = std::make_pair(*st, *sg);
  if (!sig.empty() && sig.back() == '\n') sig.pop_back();
  auto decoded = Base64DecodeStrict(sig, "policy signature", kMaxSignatureFileBytes);
  // Undecodable is a signature that does not verify, not an absent one.
  out.signature = decoded.ok() ? std::move(decoded).value() : std::string();
  return out;
}

const PublicKey* FindSigner(const std::vector<PublicKey>& trusted, const SignedFiles& f) {
  if (f.signature.empty()) return nullptr;
  for (const auto& k : trusted) {
    if (signature::Verify(k, f.statement, f.signature).ok()) return &k;
  }
  return nullptr;
}

// The key the verification cache says verified these exact bytes, when it may still sign:
// the record binds both digests and the key, so a hit proves what FindSigner would. Anything
// else (no record, untrusted file, other bytes, a key no longer allowed) is a miss.
const PublicKey* CachedSigner(const std::vector<PublicKey>& trusted, const SignedFiles& f,
                              const VerifiedSignature& proof, const std::string& state_dir) {
  if (f.signature.empty()) return nullptr;
  auto cached = ReadVerifyCache(state_dir);
  if (!cached.ok() || cached->statement != proof.statement ||
      cached->signature != proof.signature) {
    return nullptr;
  }
  for (const auto& k : trusted) {
    if (KeyId(k) == cached->key) return &k;
  }
  return nullptr;
}

// The "key" member of an unverified statement, only to say which refusal applies.
std::string ClaimedKey(const std::string& statement) {
  auto j = ParseJson(statement, "policy statement");
  if (!j.ok() || !j->is_object()) return "";
  auto it = j->find("key");
  return it != j->end() && it->is_string() ? it->get<std::string>() : "";
}

void RefuseUnverified(SignedPolicyCheck& c, const std::vector<PublicKey>& all,
                      const std::vector<PublicKey>& trusted, const SignedFiles& f) {
  std::string claimed = ClaimedKey(f.statement);
  auto named = [&](const std::vector<PublicKey>& keys) -> const PublicKey* {
    for (const auto& k : keys) {
      if (KeyId(k) == claimed) return &k;
    }
    return nullptr;
  };
  if (const PublicKey* k = named(trusted)) {
    Refuse(c, PolicyRefusal::kBadSignature,
           "the signature does not verify: policy.sig is not a signature of policy.sig.json by "
           "policy key " +
               k->name());
  } else if (const PublicKey* k = named(all)) {
    Refuse(c, PolicyRefusal::kUntrustedKey,
           fmt::format("signed by an untrusted key: {} is in policy-keys/ but was not listed by "
                       "version {}, the last accepted (a new policy key must first be listed by "
                       "a policy signed with a trusted one)",
                       k->Describe(), c.accepted_version));
  } else if (!claimed.empty()) {
    Refuse(c, PolicyRefusal::kUntrustedKey,
           fmt::format("signed by an untrusted key ({}), not one of the {} policy key(s); add it "
                       "with verifiedctl policy trust add, then sign with a trusted key",
                       claimed.substr(0, 80), trusted.size()));
  } else {
    Refuse(c, PolicyRefusal::kBadSignature,
           "the signature does not verify with any trusted policy key");
  }
}

// Keys that may sign: every policy key, or, once a version was accepted, those it listed.
std::vector<PublicKey> Anchored(const std::vector<PublicKey>& all,
                                const std::optional<PolicyMark>& mark) {
  if (!mark || mark->policy_keys.empty()) return all;
  std::vector<PublicKey> out;
  for (const auto& k : all) {
    if (std::find(mark->policy_keys.begin(), mark->policy_keys.end(), KeyId(k)) !=
        mark->policy_keys.end()) {
      out.push_back(k);
    }
  }
  return out;
}

// Covered files, rollback, expiry: the checks on a statement whose signature verified.
bool CheckStatement(SignedPolicyCheck& c, const SignedPolicyInput& in, const PolicyStatement& s) {
  auto actual = CollectCoveredFiles(in.config_dir, in.hash_registrations);
  if (!actual.ok()) {
    Refuse(c, PolicyRefusal::kUnsignedEdit,
           "cannot hash the files the policy covers: " + actual.error().What());
    return false;
  }
  std::string diff = in.hash_registrations
                         ? DescribeDifference(s.files, *actual)
                         : DescribeDifference(OutsideRegistrations(s.files), *actual);
  if (diff.empty() && !in.policy_digest.empty() && in.policy_digest != s.files.at("policy.json")) {
    diff = "policy.json changed while it was read";
  }
  if (!diff.empty()) {
    Refuse(c, PolicyRefusal::kUnsignedEdit,
           fmt::format("unsigned edit: {} since version {} was signed; sign the result with "
                       "verifiedctl policy sign",
                       diff, s.version));
    return false;
  }
  if (s.version < c.accepted_version) {
    Refuse(c, PolicyRefusal::kRollback,
           fmt::format("rollback: version {} is older than version {}, the highest this host "
                       "accepted",
                       s.version, c.accepted_version));
    return false;
  }
  if (in.now >= s.expires + s.grace_seconds) {
    Refuse(c, PolicyRefusal::kExpired,
           fmt::format("expired: version {} expired at {}{}; sign a new version", s.version,
                       FormatRfc3339(s.expires),
                       s.grace_seconds > 0 ? " (grace period ended at " +
                                                 FormatRfc3339(s.expires + s.grace_seconds) + ")"
                                           : std::string()));
    return false;
  }
  if (in.now >= s.expires) {
    c.warning = fmt::format(
        "signed policy version {} expired at {}: creates are refused from {} (grace period); "
        "sign a new version",
        s.version, FormatRfc3339(s.expires), FormatRfc3339(s.expires + s.grace_seconds));
  }
  return true;
}

std::vector<std::string> KeyIds(const std::vector<PublicKey>& keys) {
  std::vector<std::string> out;
  for (const auto& k : keys) out.push_back(KeyId(k));
  return out;
}

// `key_ids`: every policy key's "sha256:<fingerprint>", the keys the next version may be
// signed by.
void RaiseMarkTo(SignedPolicyCheck& c, const SignedPolicyInput& in,
                 const std::string& statement_digest, std::vector<std::string> key_ids) {
  PolicyMark m;
  m.version = c.statement->version;
  m.statement = statement_digest;
  m.policy_keys = std::move(key_ids);
  std::sort(m.policy_keys.begin(), m.policy_keys.end());
  if (in.defer != nullptr) {
    // The parent raises it under the state dir's lock (ApplyDeferredWrite), never lowering it.
    in.defer->Add(MarkPath(in.state_dir), SerializeMark(m));
    return;
  }
  auto raised = RaiseMark(in.state_dir, in.config_dir, m);
  if (!raised.ok()) {
    std::string w = fmt::format("could not record version {} as accepted in {}: {}", m.version,
                                MarkPath(in.state_dir), raised.error().What());
    c.warning = c.warning.empty() ? w : c.warning + "; " + w;
  }
}

// The create path's statement cache (statement_cache.h). A hit stands for reading, verifying
// and parsing policy.sig.json when the statement and signature files have the stat identity
// (device, inode, size, mtime, ctime) they had when their bytes were verified, and the key that
// verified them may still sign (Anchored: the mark's list, the keys in policy-keys/). The cache
// is keyed by that identity rather than by the bytes because hashing the bytes is the cost to
// remove: a 3.35 MB statement (10,000 registered images) takes 1.7 ms to SHA-256 here.
//
// Why that is safe, even against someone who can write the config dir: the cache is in the
// root-only state dir and holds only a statement whose signature verified with a trusted key,
// so whatever the files now hold, a hit makes the decision use a validly signed statement. Its
// version is compared with the mark and its expiry with the clock at every create, and every
// covered file the decision relies on is compared with it: policy.json, keys/ and policy-keys/
// here, each registration file as it is read (RegistrationStore). A stale hit (the files
// changed but kept their identity, which needs the same ctime: only root can set the clock)
// can therefore only refuse what the newer statement allows (its policy.json, keys or
// registrations differ from the cached one's), never allow what no trusted key signed.
//
// Why images/ is not listed: an unsigned added or removed registration only changes a decision
// that reads it. A decision reads exactly images/by-name/<sha256(name)>.json for each candidate
// name and images/by-chain/<chain>.json for the image's chain (registration_store.h), and each
// read is checked against the statement: a file the statement does not list is refused "was
// added", a listed file that is missing "was removed", other bytes "changed". A file no
// decision reads cannot admit or refuse anything, so listing images/ at every create (O(N))
// adds no protection; `verifiedctl policy status` and `audit` still hash and list everything.
//
// Returns true when the cache decided (accepted, or refused for what the cached statement
// says); false for a miss (no usable cache, other files, a signer no longer trusted): the
// caller then reads and verifies the statement.
bool CachedStatementCheck(SignedPolicyCheck& c, const SignedPolicyInput& in) {
  // The policy keys by fingerprint only: parsing a key costs OpenSSL's provider set-up in a
  // fresh process (~0.5 ms), and a hit verifies nothing. The signer's fingerprint names the
  // exact DER that verified the cached statement; every other file of policy-keys/ must hash
  // as the statement lists it (CheckStatement), so each is one a deciding create parsed
  // before it wrote this cache. Any error is a miss: the full path says what is wrong.
  auto ids = signature::ListKeyFingerprints(signature::PolicyKeyDirectory(in.config_dir));
  if (!ids.ok() || ids->empty()) return false;
  auto mark = ReadMark(in.state_dir);
  if (!mark.ok()) return false;
  auto statement_file = StampTrustedFile(StatementPath(in.config_dir));
  auto signature_file = StampTrustedFile(SignaturePath(in.config_dir));
  if (!statement_file.ok() || !signature_file.ok()) return false;
  auto cache = StatementCache::Open(in.state_dir, in.config_dir);
  if (!cache.ok()) return false;
  const StatementCacheHeader& h = (*cache)->header();
  if (h.statement_file != *statement_file || h.signature_file != *signature_file) return false;
  std::vector<std::string> key_ids;
  const signature::KeyFingerprint* signer = nullptr;
  for (const auto& k : *ids) {
    key_ids.push_back("sha256:" + k.fingerprint);
    if (key_ids.back() == h.key) signer = &k;
  }
  const auto& anchored = *mark ? (*mark)->policy_keys : std::vector<std::string>();
  if (signer == nullptr ||
      (!anchored.empty() && std::find(anchored.begin(), anchored.end(), h.key) == anchored.end())) {
    return false;
  }
  c.required = true;
  if (*mark) c.accepted_version = (*mark)->version;
  c.signer = signer->name;
  c.cached = c.statement_cached = true;
  c.statement = (*cache)->Statement();
  if (!CheckStatement(c, in, *c.statement)) return true;
  c.files = std::move(cache).value();
  if (in.raise_mark && c.statement->version > c.accepted_version) {
    RaiseMarkTo(c, in, h.statement, std::move(key_ids));
  }
  return true;
}

// Records an accepted statement for the next creates (deciding paths only; a failed write is a
// miss next time, nothing more).
void CacheStatement(const SignedPolicyInput& in, const SignedFiles& f,
                    const VerifiedSignature& proof, const PolicyStatement& statement) {
  if (!in.raise_mark || in.hash_registrations || !f.stamps) return;
  if (IsRacy(f.stamps->first) || IsRacy(f.stamps->second)) return;
  StatementCacheHeader id;
  id.statement_file = f.stamps->first;
  id.signature_file = f.stamps->second;
  id.statement = proof.statement;
  id.signature = proof.signature;
  id.key = proof.key;
  (void)WriteStatementCache(in.state_dir, in.config_dir, id, statement, in.defer);
}

}  // namespace

std::string StatementPath(const std::string& config_dir) { return config_dir + "/policy.sig.json"; }
std::string SignaturePath(const std::string& config_dir) { return config_dir + "/policy.sig"; }

SignedRegistrations SignedRegistrationsFor(const SignedPolicyCheck& check) {
  if (!check.required || !check.Accepted() || !check.statement || !check.files) return {};
  return SignedRegistrations{check.files.get(), check.statement->version};
}

std::string SignedPolicyCheck::Summary() const {
  std::string s;
  if (!required) {
    s = "signed policy: not required (no policy keys)";
  } else if (!Accepted()) {
    s = message;
  } else {
    s = fmt::format("signed policy: version {} signed by {} (expires {})", statement->version,
                    signer, FormatRfc3339(statement->expires));
  }
  return warning.empty() ? s : s + "; WARNING: " + warning;
}

SignedPolicyCheck CheckSignedPolicy(const SignedPolicyInput& in) {
  SignedPolicyCheck c;
  if (!in.hash_registrations && CachedStatementCheck(c, in)) return c;
  c = SignedPolicyCheck();  // a miss starts over
  auto all = signature::ListKeys(signature::PolicyKeyDirectory(in.config_dir));
  if (!all.ok()) {
    c.required = true;  // unknown: fail closed
    return Refuse(c, PolicyRefusal::kKeysUnreadable,
                  "cannot read the policy keys: " + all.error().What());
  }
  if (all->empty()) return c;
  c.required = true;
  auto mark = ReadMark(in.state_dir);
  if (!mark.ok()) {
    return Refuse(c, PolicyRefusal::kMarkUnreadable,
                  "cannot read the high-water mark: " + mark.error().What());
  }
  if (*mark) c.accepted_version = (*mark)->version;
  std::vector<PublicKey> trusted = Anchored(*all, *mark);
  auto files = ReadSignedFiles(in.config_dir);
  VerifiedSignature proof;
  const PublicKey* signer = nullptr;
  if (files.ok()) {
    proof = {Sha256Digest(files->statement), Sha256Digest(files->signature), ""};
    signer = CachedSigner(trusted, *files, proof, in.state_dir);
    c.cached = signer != nullptr;
    if (signer == nullptr) signer = FindSigner(trusted, *files);
  }
  // A concurrent `verifiedctl policy sign` replaces two files: one more read sees both new.
  if (files.ok() && signer == nullptr) {
    files = ReadSignedFiles(in.config_dir);
    if (files.ok()) {
      proof = {Sha256Digest(files->statement), Sha256Digest(files->signature), ""};
      signer = FindSigner(trusted, *files);
    }
  }
  if (!files.ok()) {
    if (files.error().kind() == ErrorKind::kNotFound) {
      return Refuse(c, PolicyRefusal::kUnsigned,
                    fmt::format("the policy is unsigned ({} and {} are required once {} holds a "
                                "key): sign it with verifiedctl policy sign --key FILE.key",
                                StatementPath(in.config_dir), SignaturePath(in.config_dir),
                                signature::PolicyKeysDir(in.config_dir)));
    }
    return Refuse(c, PolicyRefusal::kUnsigned,
                  "cannot read the signed statement: " + files.error().What());
  }
  if (signer == nullptr) {
    RefuseUnverified(c, *all, trusted, *files);
    return c;
  }
  auto statement = ParseStatement(files->statement);
  if (!statement.ok()) {
    return Refuse(c, PolicyRefusal::kMalformed,
                  "the signed statement is malformed: " + statement.error().What());
  }
  if (statement->key != KeyId(*signer)) {
    return Refuse(c, PolicyRefusal::kMalformed,
                  "the signed statement names key " + statement->key + " but " +
                      signer->Describe() + " signed it");
  }
  c.signer = signer->name();
  c.statement = std::move(statement).value();
  if (!CheckStatement(c, in, *c.statement)) return c;
  c.files = std::make_shared<MapFileLookup>(c.statement->files);
  if (in.raise_mark && c.statement->version > c.accepted_version) {
    RaiseMarkTo(c, in, proof.statement, KeyIds(*all));
  }
  proof.key = KeyId(*signer);
  if (in.raise_mark && !c.cached) {
    // Only the deciding paths write (the look-only commands never do); a failed write is a
    // miss next time, nothing more.
    (void)WriteVerifyCache(in.state_dir, in.config_dir, proof, in.defer);
  }
  CacheStatement(in, *files, proof, *c.statement);
  return c;
}

}  // namespace verified::signedpolicy
