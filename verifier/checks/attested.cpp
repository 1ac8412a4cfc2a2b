#include "verifier/checks/attested.h"

#include <ctime>

#include "verifier/attestation/attestation_collect.h"
#include "verifier/config/state_dir.h"
#include "verifier/image/pattern.h"
#include "verifier/signature/key_der.h"
#include "verifier/signature/key_dir.h"

namespace verified {
namespace {

constexpr const char* kAttestedCheck = "attestations";
constexpr int64_t kDay = 24 * 60 * 60;
// Attestations spelt out in a finding.
constexpr size_t kMaxShown = 8;

using attestation::FoundAttestation;
using attestation::PredicateKind;

std::string Short(std::string_view digest) {
  return std::string(digest.substr(0, std::min<size_t>(digest.size(), 19)));
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string Describe(const FoundAttestation& f) {
  std::string head = fmt::format("attestation {} for {}", f.id.substr(0, 12), Short(f.digest));
  if (!f.key_name.empty()) head += " by key " + f.key_name;
  if (!f.attestation) return head + ": not counted: " + f.why;
  const auto& p = f.attestation->predicate;
  return fmt::format("{}: {} ({}): {}{}", head, attestation::KindName(p.kind),
                     p.type.substr(0, 100), attestation::DescribePredicate(p),
                     f.cached ? " (verified before: from the attestation cache)" : "");
}

struct CacheUse {
  attestation::AttestationCacheSession session;
  std::string note;  // what became of the cache, "" when nothing worth saying
};

// The attestation cache a decision may use (the same access as signed_by's verification
// cache: creates write it, readers only read). A cache that cannot be read is empty, said in
// the note.
CacheUse OpenCache(const CheckContext& ctx) {
  CacheUse c;
  const auto& access = ctx.verification_cache;
  if (access.state_dir.empty() || ctx.policy_digest.empty()) return c;
  c.session.cache = attestation::AttestationCache::Load(access.state_dir);
  c.session.policy_digest = ctx.policy_digest;
  c.session.record = access.write;
  if (!c.session.cache->ignored_reason().empty()) {
    c.note = "attestation cache ignored (" + c.session.cache->ignored_reason() + ")";
  }
  return c;
}

// Writes what this decision verified. A state dir that cannot be written costs the next
// decision one verification, never this one its verdict.
void SaveCache(const CheckContext& ctx, CacheUse& c) {
  if (!c.session.cache || c.session.added == 0) return;
  const auto& access = ctx.verification_cache;
  Status st = EnsureStateDir(access.state_dir, ctx.registrations.config_dir());
  if (st.ok()) st = c.session.cache->Save(access.state_dir);
  if (!st.ok()) {
    c.note += (c.note.empty() ? "" : "; ") + ("attestation not cached: " + st.error().What());
  }
}

class Attested : public Requirement {
 public:
  explicit Attested(AttestationRule rule) : rule_(std::move(rule)) {}
  std::string Name() const override { return kAttestedCheck; }
  nlohmann::json Value() const override { return Join(rule_.keys); }
  const AttestationRule& rule() const { return rule_; }

  Finding Check(const CheckContext& ctx) const override {
    const std::string& config_dir = ctx.registrations.config_dir();
    attestation::AttestationKeys keys;
    for (const auto& name : rule_.keys) {
      auto id = signature::LoadKeyFingerprint(signature::ImageKeyDirectory(config_dir), name);
      if (!id.ok()) return Fail(kAttestedCheck, "trusted key " + name + ": " + id.error().What());
      keys.ids.push_back(std::move(id).value());
    }
    // Parsed only when an attestation is not in the attestation cache (attestation_collect.h).
    std::optional<std::vector<signature::PublicKey>> parsed, all;
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
    keys.all = [&]() -> Result<const std::vector<signature::PublicKey>*> {
      if (!all) {
        VERIFIED_ASSIGN_OR_RETURN(std::vector<signature::PublicKey> listed,
                                  signature::ListKeys(config_dir));
        all = std::move(listed);
      }
      return &*all;
    };
    CacheUse cache = OpenCache(ctx);
    auto found = attestation::CollectAttestations(config_dir, ctx.image, keys, cache.session);
    if (!key_error.empty()) return Fail(kAttestedCheck, key_error);
    if (!found.ok()) {
      return Fail(kAttestedCheck, "the attestation store cannot be read: " + found.error().What());
    }
    SaveCache(ctx, cache);
    std::vector<std::string> unmet;
    if (rule_.vulns || rule_.scan_max_age_days) CheckScan(*found, unmet);
    if (rule_.sbom) CheckSbom(*found, unmet);
    if (!rule_.builder_pattern.empty() || !rule_.source_pattern.empty()) {
      CheckProvenance(*found, unmet);
    }
    std::string seen = Seen(*found);
    if (!cache.note.empty()) seen += "; " + cache.note;
    if (!unmet.empty()) {
      return Fail(kAttestedCheck,
                  fmt::format("{}; attestations by {}: {}", Join(unmet), KeysText(), seen),
                  Wanted(), Join(unmet));
    }
    return Pass(kAttestedCheck, fmt::format("{} met; attestations: {}", Wanted(), seen));
  }

 private:
  std::string KeysText() const {
    return fmt::format("{}{}{}", rule_.keys.size() > 1 ? "keys " : "key ", Join(rule_.keys),
                       rule_.keys_from_signed_by ? " (signed_by's)" : "");
  }

  std::string Wanted() const {
    std::vector<std::string> parts;
    if (rule_.vulns) {
      std::string limits;
      for (size_t i = attestation::kSeverityCount; i-- > 0;) {
        if (!rule_.max_vulns[i]) continue;
        limits += fmt::format("{}{}:{}", limits.empty() ? "" : ",",
                              attestation::SeverityName(static_cast<attestation::Severity>(i)),
                              *rule_.max_vulns[i]);
      }
      parts.push_back("vulnerabilities " + limits);
    }
    if (rule_.scan_max_age_days) {
      parts.push_back(fmt::format("scan_max_age_days {}", *rule_.scan_max_age_days));
    }
    if (rule_.sbom) parts.push_back("sbom");
    if (!rule_.builder_pattern.empty())
      parts.push_back("provenance_builder " + rule_.builder_pattern);
    if (!rule_.source_pattern.empty()) parts.push_back("provenance_source " + rule_.source_pattern);
    return Join(parts);
  }

  static std::string Seen(const std::vector<FoundAttestation>& found) {
    if (found.empty()) return "none stored for this image (verifiedctl attestation import)";
    std::string out;
    for (size_t i = 0; i < found.size() && i < kMaxShown; ++i) {
      out += (out.empty() ? "" : "; ") + Describe(found[i]);
    }
    if (found.size() > kMaxShown) out += fmt::format("; and {} more", found.size() - kMaxShown);
    return out;
  }

  void CheckScan(const std::vector<FoundAttestation>& found,
                 std::vector<std::string>& unmet) const {
    const FoundAttestation* newest = nullptr;
    for (const auto& f : found) {
      if (!f.attestation || f.attestation->predicate.kind != PredicateKind::kVuln) continue;
      if (newest == nullptr ||
          f.attestation->predicate.vuln.finished > newest->attestation->predicate.vuln.finished) {
        newest = &f;
      }
    }
    if (newest == nullptr) {
      unmet.push_back(fmt::format("no valid vulnerability scan ({}) of this image",
                                  attestation::kVulnPredicateType));
      return;
    }
    const auto& scan = newest->attestation->predicate.vuln;
    std::string which = fmt::format("the newest scan ({}, finished {})", newest->id.substr(0, 12),
                                    scan.finished_text);
    for (size_t i = attestation::kSeverityCount; i-- > 0;) {
      if (!rule_.max_vulns[i] || scan.counts[i] <= *rule_.max_vulns[i]) continue;
      unmet.push_back(fmt::format("{} lists {} {} over the limit of {}: {}", which, scan.counts[i],
                                  attestation::SeverityName(static_cast<attestation::Severity>(i)),
                                  *rule_.max_vulns[i], Join(scan.ids[i])));
    }
    if (!rule_.scan_max_age_days) return;
    int64_t now = static_cast<int64_t>(std::time(nullptr));
    if (scan.finished > now + kDay) {
      unmet.push_back(which + " finished more than a day in the future");
    } else if (now - scan.finished > *rule_.scan_max_age_days * kDay) {
      unmet.push_back(fmt::format("{} is {} days old (scan_max_age_days {})", which,
                                  (now - scan.finished) / kDay, *rule_.scan_max_age_days));
    }
  }

  void CheckSbom(const std::vector<FoundAttestation>& found,
                 std::vector<std::string>& unmet) const {
    for (const auto& f : found) {
      if (f.attestation && f.attestation->predicate.IsSbom()) return;
    }
    unmet.push_back("no valid SBOM attestation (SPDX or CycloneDX) of this image");
  }

  void CheckProvenance(const std::vector<FoundAttestation>& found,
                       std::vector<std::string>& unmet) const {
    std::vector<std::string> said;
    for (const auto& f : found) {
      if (!f.attestation || f.attestation->predicate.kind != PredicateKind::kSlsa) continue;
      const auto& p = f.attestation->predicate.provenance;
      bool builder =
          rule_.builder_pattern.empty() || GlobMatch(rule_.builder_pattern, p.builder_id);
      bool source =
          rule_.source_pattern.empty() ||
          (!p.source_repository.empty() && GlobMatch(rule_.source_pattern, p.source_repository));
      if (builder && source) return;
      said.push_back(attestation::DescribeProvenance(p));
    }
    std::string want;
    if (!rule_.builder_pattern.empty()) want += "builder " + rule_.builder_pattern;
    if (!rule_.source_pattern.empty()) {
      want += (want.empty() ? "" : " and ") + std::string("source ") + rule_.source_pattern;
    }
    if (said.empty()) {
      unmet.push_back(fmt::format("no valid SLSA provenance ({}) of this image (needs {})",
                                  attestation::kSlsaProvenanceV1, want));
    } else {
      unmet.push_back(fmt::format("no provenance with {}: {}", want, Join(said)));
    }
  }

  AttestationRule rule_;
};

}  // namespace

RequirementPtr MakeAttestedCheck(AttestationRule rule) {
  return std::make_shared<Attested>(std::move(rule));
}

const AttestationRule* AttestationRuleOf(const Requirement& req) {
  const auto* a = dynamic_cast<const Attested*>(&req);
  return a != nullptr ? &a->rule() : nullptr;
}

}  // namespace verified
