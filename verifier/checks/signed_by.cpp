#include "verifier/checks/signed_by.h"

#include <algorithm>
#include <optional>
#include <set>

#include "verifier/config/state_dir.h"
#include "verifier/crypto/sha256.h"
#include "verifier/image/reference.h"
#include "verifier/signature/cached_chain.h"
#include "verifier/signature/cached_verification.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/signature_candidates.h"
#include "verifier/signature/signature_chain.h"

namespace verified {
namespace {

constexpr const char* kSignedByCheck = "signed_by";
// Attempts spelt out in a finding; a refusal message stays readable when a store holds many.
constexpr size_t kMaxAttemptsShown = 8;
constexpr const char* kFromCache = " (verified before: from the verification cache)";

using signature::SignatureCandidate;
using signature::SignatureFormat;
using signature::SignatureRecord;
using signature::StoredRecordFile;

std::string Short(std::string_view digest) {
  return std::string(digest.substr(0, std::min<size_t>(digest.size(), 19)));  // sha256: + 12
}

// The repositories storage records for the image (normalised as policy names are).
std::set<std::string> StoredRepositories(const ResolvedImage& image) {
  std::set<std::string> out;
  auto add = [&](const std::string& name) {
    auto ref = ParseReference(name);
    if (ref.ok()) out.insert(ref->Repository());
  };
  for (const auto& n : image.names) add(n);
  if (image.typed_confirmed && !ParseImageId(image.typed_reference)) add(image.typed_reference);
  return out;
}

std::string Join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
  return out.empty() ? "(none)" : out;
}

struct Evaluation {
  std::set<std::string> counted_keys;
  std::vector<std::string> attempts;  // one sentence per signature tried
  std::string proof;                  // the chain of the first counted signature
  bool bundle_by_pattern = false;     // a counted bundle relies on the rule's pattern
  signature::CacheSession cache;
  std::string cache_note;  // what became of the verification cache, "" when none is used
};

// Loads the verification cache a decision may use. A cache that cannot be read is empty (a
// miss for every signature), said in the note; readers never need write access.
void OpenCache(const CheckContext& ctx, Evaluation& e) {
  const auto& access = ctx.verification_cache;
  if (access.state_dir.empty() || ctx.policy_digest.empty()) return;
  e.cache.cache = signature::VerificationCache::Load(access.state_dir);
  e.cache.policy_digest = ctx.policy_digest;
  e.cache.record = access.write;
  if (!e.cache.cache->ignored_reason().empty()) {
    e.cache_note = "verification cache ignored (" + e.cache.cache->ignored_reason() + ")";
  }
}

// Writes the successes this decision added. A state dir that cannot be created or written
// costs the next decision one verification, never this one its verdict.
void SaveCache(const CheckContext& ctx, Evaluation& e) {
  if (!e.cache.cache || e.cache.added == 0) return;
  const auto& access = ctx.verification_cache;
  Status st = access.defer != nullptr
                  ? Ok()
                  : EnsureStateDir(access.state_dir, ctx.registrations.config_dir());
  if (st.ok()) st = e.cache.cache->Save(access.state_dir, access.defer);
  if (!st.ok()) {
    e.cache_note +=
        (e.cache_note.empty() ? "" : "; ") + ("verification not cached: " + st.error().What());
  }
}

class SignedBy : public Requirement {
 public:
  explicit SignedBy(SignatureRule rule) : rule_(std::move(rule)) {}
  std::string Name() const override { return kSignedByCheck; }
  nlohmann::json Value() const override { return rule_.keys; }
  const SignatureRule& rule() const { return rule_; }

  Finding Check(const CheckContext& ctx) const override {
    const std::string& config_dir = ctx.registrations.config_dir();
    signature::RuleKeys keys;
    for (const auto& name : rule_.keys) {
      auto id = signature::LoadKeyFingerprint(signature::ImageKeyDirectory(config_dir), name);
      if (!id.ok()) return Fail(kSignedByCheck, "trusted key " + name + ": " + id.error().What());
      keys.ids.push_back(std::move(id).value());
    }
    // Parsed only when a signature is not in the verification cache (cached_verification.h).
    std::optional<std::vector<signature::PublicKey>> parsed;
    std::string key_error;
    keys.parsed = [&]() -> Result<const std::vector<signature::PublicKey>*> {
      if (!parsed && key_error.empty()) {
        std::vector<signature::PublicKey> out;
        for (const auto& name : rule_.keys) {
          auto key = signature::LoadKey(config_dir, name);
          if (!key.ok()) {
            key_error = "trusted key " + name + ": " + key.error().What();
            break;
          }
          out.push_back(std::move(key).value());
        }
        if (key_error.empty()) parsed = std::move(out);
      }
      if (!key_error.empty()) return MakeError(ErrorKind::kParse, "{}", key_error);
      return &*parsed;
    };
    auto candidates = signature::CollectSignatures(config_dir, ctx.image);
    if (!candidates.ok()) {
      return Fail(kSignedByCheck,
                  "the signature store cannot be read: " + candidates.error().What());
    }
    if (candidates->empty()) return Unsigned(ctx, config_dir);
    Evaluation e;
    OpenCache(ctx, e);
    const std::set<std::string> repos = StoredRepositories(ctx.image);
    for (const auto& c : *candidates) {
      for (const auto& f : c.stored.records) {
        // Hashed only when a cache can use it (the entry name binds the file's exact bytes).
        const std::string file_hash = e.cache.cache ? Sha256Hex(f.text) : "";
        if (TryCached(ctx, c, f, file_hash, keys, repos, e)) continue;
        auto r = signature::ParseStoredRecord(c.stored, f);
        if (!r.ok()) {
          return Fail(kSignedByCheck, "the signature store cannot be read: " + r.error().What());
        }
        Try(ctx, c, *r, &f, file_hash, keys, repos, e);
      }
      for (const auto& r : c.engine_records) Try(ctx, c, r, nullptr, "", keys, repos, e);
    }
    SaveCache(ctx, e);
    if (!key_error.empty()) return Fail(kSignedByCheck, key_error);
    return Conclude(e);
  }

 private:
  std::string Wanted() const {
    if (rule_.count == 1) {
      return fmt::format("a valid signature by {}{}",
                         rule_.keys.size() > 1 ? "one of keys " : "key ", KeyList());
    }
    return fmt::format("{} valid signatures by distinct keys of {}", rule_.count, KeyList());
  }

  Finding Unsigned(const CheckContext& ctx, const std::string& config_dir) const {
    auto digests = signature::CandidateDigests(config_dir, ctx.image);
    std::string looked;
    if (digests.ok()) {
      for (const auto& d : *digests) looked += (looked.empty() ? "" : ", ") + Short(d);
    }
    return Fail(kSignedByCheck,
                fmt::format("needs {}; no signature is stored for this image (looked up the "
                            "manifests the engine keeps for it and those imported with a config "
                            "digest of {}: {}); import one with verifiedctl signature import",
                            Wanted(), Short(ctx.image.image_id), looked.empty() ? "none" : looked),
                Wanted(), "unsigned");
  }

  // What a cached chain of a store record is named by (cached_chain.h), format and
  // repository left to the caller.
  signature::ChainKey ChainKeyFor(const CheckContext& ctx, const SignatureCandidate& c,
                                  const StoredRecordFile& f, const std::string& file_hash,
                                  const signature::RuleKeys& keys, const Evaluation& e) const {
    signature::ChainKey k;
    k.record_file = f.name;
    k.record_sha256 = file_hash;
    k.manifest_digest = c.stored.digest;
    k.image_id = ctx.image.image_id;
    k.policy_digest = e.cache.policy_digest;
    k.identity = SignedIdentityName(rule_.identity);
    for (const auto& id : keys.ids) k.key_fingerprints.push_back(id.fingerprint);
    return k;
  }

  // A store record whose whole chain the verification cache holds (cached_chain.h) under the
  // record file's bytes as they are now, the image ID, keys, policy and stored repositories as
  // they are now: counted without parsing the record, its payload or the manifest again. The
  // manifest bytes are still found and checked to hash to the signed digest. False, recording
  // nothing, on a miss or when the manifest is now missing or changed: the full path says why.
  bool TryCached(const CheckContext& ctx, const SignatureCandidate& c, const StoredRecordFile& f,
                 const std::string& file_hash, const signature::RuleKeys& keys,
                 const std::set<std::string>& repos, Evaluation& e) const {
    if (!e.cache.cache) return false;
    auto hit = signature::FindCachedChain(
        *e.cache.cache, ChainKeyFor(ctx, c, f, file_hash, keys, e), keys.ids, repos);
    if (!hit) return false;
    auto proof = signature::ProveCachedManifest(ctx.image, c.stored.digest, c.stored.manifest);
    if (!proof.ok()) return false;
    ++e.cache.hits;
    std::string what = fmt::format("{} signature {} for {} by key {}", FormatName(hit->format),
                                   f.name.substr(0, 12), Short(c.stored.digest), hit->key_name);
    Count(what, hit->format, hit->repository, hit->key_name, *proof, kFromCache, repos, e);
    return true;
  }

  // One signature: verified with the rule's keys only, its digest proven down to the image,
  // its identity checked; the outcome recorded as a sentence. `file` is the store's file the
  // record was parsed from (nullptr for one the engine keeps): a valid chain through a plain
  // manifest is then added to the cache for TryCached.
  void Try(const CheckContext& ctx, const SignatureCandidate& c, const SignatureRecord& r,
           const StoredRecordFile* file, const std::string& file_hash,
           const signature::RuleKeys& keys, const std::set<std::string>& repos,
           Evaluation& e) const {
    std::string what = fmt::format("{} signature {} for {}", FormatName(r.format),
                                   signature::SignatureRecordId(r).substr(0, 12), Short(r.digest));
    // Only the public-key verification may come from this cache; the digest's chain down to
    // the image and the identity below are checked here.
    size_t hits = e.cache.hits;
    auto verified = signature::VerifyThroughCache(r, keys, e.cache);
    if (!verified.ok()) {
      e.attempts.push_back(what + ": not counted: " + NotByTheRulesKeys(ctx, r, verified.error()));
      return;
    }
    what += " by key " + verified->key_name;
    // Said after the outcome, so that "by key K for repository R: counted" reads the same
    // whether the public-key operation ran or came from the cache.
    const std::string cached = e.cache.hits > hits ? kFromCache : "";
    bool through_index = false;
    auto proof =
        signature::ProveSignedDigest(ctx.image, r.digest, c.stored.manifest, &through_index);
    if (!proof.ok()) {
      e.attempts.push_back(what + ": not counted: " + proof.error().What() + cached);
      return;
    }
    bool valid =
        Count(what, r.format, verified->repository, verified->key_name, *proof, cached, repos, e);
    if (valid && file != nullptr && !through_index && e.cache.cache && e.cache.record) {
      signature::ChainKey k = ChainKeyFor(ctx, c, *file, file_hash, keys, e);
      k.format = r.format;
      if (rule_.identity == SignedIdentity::kRepository &&
          r.format == SignatureFormat::kSimpleSigning) {
        k.repository = verified->repository;
      }
      if (signature::AddCachedChain(*e.cache.cache, k, verified->key_fingerprint).ok()) {
        ++e.cache.added;
      }
    }
  }

  // The identity check and the count of a signature whose chain is proven; the outcome
  // recorded as a sentence. True when it is valid for this rule (counted, or its key already
  // counted).
  bool Count(std::string what, SignatureFormat format, const std::string& repository,
             const std::string& key_name, const std::string& proof, const std::string& cached,
             const std::set<std::string>& repos, Evaluation& e) const {
    std::string identity;
    if (rule_.identity == SignedIdentity::kRepository) {
      if (format == SignatureFormat::kSigstoreBundle) {
        identity = "; it names no repository, so only the rule's pattern binds the name";
        e.bundle_by_pattern = true;
      } else {
        if (!repos.count(repository)) {
          e.attempts.push_back(fmt::format(
              "{}: not counted: it was signed for repository {}, and the image is stored as {} "
              "(signed_identity repository){}",
              what, repository, Join(repos), cached));
          return false;
        }
        identity = " for repository " + repository;
      }
    }
    if (!e.counted_keys.insert(key_name).second) {
      e.attempts.push_back(what + ": valid, but key " + key_name + " already counted" + cached);
      return true;
    }
    e.attempts.push_back(what + identity + ": counted" + cached);
    if (e.proof.empty()) e.proof = proof;
    return true;
  }

  // Why a signature the rule's keys do not verify was not counted: when another key the host
  // trusts verifies it, say which (an administrator reading `explain` wants the signer, not a
  // list of failed verifications); otherwise the verification error of each of the rule's keys.
  std::string NotByTheRulesKeys(const CheckContext& ctx, const SignatureRecord& r,
                                const Error& error) const {
    auto all = signature::ListKeys(ctx.registrations.config_dir());
    if (all.ok()) {
      std::vector<signature::PublicKey> others;
      for (auto& k : *all) {
        if (std::find(rule_.keys.begin(), rule_.keys.end(), k.name()) == rule_.keys.end()) {
          others.push_back(std::move(k));
        }
      }
      auto by_other = signature::VerifySignatureRecord(r, others);
      if (by_other.ok()) {
        return fmt::format("signed by key {}, which this rule does not name (it names {})",
                           by_other->key_name, KeyList());
      }
    }
    return error.What();
  }

  std::string KeyList() const {
    std::string keys;
    for (const auto& k : rule_.keys) keys += (keys.empty() ? "" : ", ") + k;
    return keys;
  }

  static const char* FormatName(SignatureFormat f) {
    return f == signature::SignatureFormat::kSigstoreBundle ? "bundle" : "simple-signing";
  }

  Finding Conclude(const Evaluation& e) const {
    std::string tried;
    for (size_t i = 0; i < e.attempts.size() && i < kMaxAttemptsShown; ++i) {
      tried += (tried.empty() ? "" : "; ") + e.attempts[i];
    }
    if (e.attempts.size() > kMaxAttemptsShown) {
      tried += fmt::format("; and {} more", e.attempts.size() - kMaxAttemptsShown);
    }
    if (!e.cache_note.empty()) tried += "; " + e.cache_note;
    std::string counted = fmt::format("{} of {} needed", e.counted_keys.size(), rule_.count);
    if (e.counted_keys.size() < rule_.count) {
      return Fail(kSignedByCheck, fmt::format("needs {}; {} counted: {}", Wanted(), counted, tried),
                  Wanted(), counted);
    }
    std::string note = e.bundle_by_pattern
                           ? " (signed_identity repository: a bundle binds no name, the rule's "
                             "pattern does)"
                           : "";
    return Pass(kSignedByCheck,
                fmt::format("{} counted{}: {}; proven: {}", counted, note, tried, e.proof));
  }

  SignatureRule rule_;
};

}  // namespace

RequirementPtr MakeSignedByCheck(SignatureRule rule) {
  return std::make_shared<SignedBy>(std::move(rule));
}

const SignatureRule* SignatureRuleOf(const Requirement& req) {
  const auto* s = dynamic_cast<const SignedBy*>(&req);
  return s != nullptr ? &s->rule() : nullptr;
}

}  // namespace verified
