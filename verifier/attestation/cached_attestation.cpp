#include "verifier/attestation/cached_attestation.h"

#include "verifier/core/json.h"
#include "verifier/image/digest.h"
#include "verifier/signature/strict_object.h"

namespace verified::attestation {
namespace {

using nlohmann::json;
using signature::CheckMembers;
using signature::RequiredString;

constexpr std::string_view kCachedWhat = "attestation cache entry";

Error Bad(std::string_view member) {
  return MakeError(ErrorKind::kParse, "{}: bad {}", kCachedWhat, member);
}

json VulnJson(const VulnScan& v) {
  json ids = json::array();
  for (const auto& per : v.ids) ids.push_back(per);
  return {{"scanner_uri", v.scanner_uri},
          {"scanner_version", v.scanner_version},
          {"finished_text", v.finished_text},
          {"finished", v.finished},
          {"counts", v.counts},
          {"ids", std::move(ids)}};
}

json SlsaJson(const Provenance& p) {
  json deps = json::array();
  for (const auto& d : p.dependencies) deps.push_back({d.uri, d.commit});
  return {{"builder_id", p.builder_id},      {"build_type", p.build_type},
          {"dependencies", std::move(deps)}, {"source_repository", p.source_repository},
          {"source_ref", p.source_ref},      {"source_commit", p.source_commit}};
}

Result<uint64_t> Unsigned(const json& j, std::string_view member) {
  if (!j.is_number_unsigned()) return Bad(member);
  return j.get<uint64_t>();
}

Result<std::vector<std::string>> Strings(const json& j, size_t max, std::string_view member) {
  if (!j.is_array() || j.size() > max) return Bad(member);
  std::vector<std::string> out;
  for (const auto& s : j) {
    if (!s.is_string()) return Bad(member);
    out.push_back(s.get<std::string>());
  }
  return out;
}

Result<signedpolicy::FileStamp> StampFrom(const json& j) {
  if (!j.is_array() || j.size() != 5) return Bad("file");
  signedpolicy::FileStamp s;
  VERIFIED_ASSIGN_OR_RETURN(s.dev, Unsigned(j[0], "file"));
  VERIFIED_ASSIGN_OR_RETURN(s.ino, Unsigned(j[1], "file"));
  for (size_t i = 2; i < 5; ++i) {
    if (!j[i].is_number_integer()) return Bad("file");
  }
  s.size = j[2].get<int64_t>();
  s.mtime_ns = j[3].get<int64_t>();
  s.ctime_ns = j[4].get<int64_t>();
  return s;
}

Result<VulnScan> VulnFrom(const json& j) {
  VERIFIED_RETURN_IF_ERROR(CheckMembers(
      j, "attestation cache entry vuln",
      {"scanner_uri", "scanner_version", "finished_text", "finished", "counts", "ids"},
      {"scanner_uri", "scanner_version", "finished_text", "finished", "counts", "ids"}));
  VulnScan v;
  VERIFIED_ASSIGN_OR_RETURN(v.scanner_uri, RequiredString(j, "scanner_uri", kCachedWhat));
  VERIFIED_ASSIGN_OR_RETURN(v.scanner_version, RequiredString(j, "scanner_version", kCachedWhat));
  VERIFIED_ASSIGN_OR_RETURN(v.finished_text, RequiredString(j, "finished_text", kCachedWhat));
  if (!j["finished"].is_number_integer()) return Bad("vuln.finished");
  v.finished = j["finished"].get<int64_t>();
  const json& counts = j["counts"];
  const json& ids = j["ids"];
  if (!counts.is_array() || counts.size() != kSeverityCount) return Bad("vuln.counts");
  if (!ids.is_array() || ids.size() != kSeverityCount) return Bad("vuln.ids");
  for (size_t i = 0; i < kSeverityCount; ++i) {
    VERIFIED_ASSIGN_OR_RETURN(uint64_t n, Unsigned(counts[i], "vuln.counts"));
    if (n > kMaxReportVulnerabilities) return Bad("vuln.counts");
    v.counts[i] = static_cast<size_t>(n);
    VERIFIED_ASSIGN_OR_RETURN(v.ids[i], Strings(ids[i], kMaxIdsKept, "vuln.ids"));
  }
  return v;
}

Result<Sbom> SbomFrom(const json& j) {
  VERIFIED_RETURN_IF_ERROR(CheckMembers(j, "attestation cache entry sbom",
                                        {"format", "name", "packages"},
                                        {"format", "name", "packages"}));
  Sbom s;
  VERIFIED_ASSIGN_OR_RETURN(s.format, RequiredString(j, "format", kCachedWhat));
  VERIFIED_ASSIGN_OR_RETURN(s.name, RequiredString(j, "name", kCachedWhat));
  VERIFIED_ASSIGN_OR_RETURN(uint64_t n, Unsigned(j["packages"], "sbom.packages"));
  if (n > kMaxSbomPackages) return Bad("sbom.packages");
  s.packages = static_cast<size_t>(n);
  return s;
}

Result<Provenance> SlsaFrom(const json& j) {
  VERIFIED_RETURN_IF_ERROR(CheckMembers(j, "attestation cache entry slsa",
                                        {"builder_id", "build_type", "dependencies",
                                         "source_repository", "source_ref", "source_commit"},
                                        {"builder_id", "build_type", "dependencies",
                                         "source_repository", "source_ref", "source_commit"}));
  Provenance p;
  VERIFIED_ASSIGN_OR_RETURN(p.builder_id, RequiredString(j, "builder_id", kCachedWhat));
  VERIFIED_ASSIGN_OR_RETURN(p.build_type, RequiredString(j, "build_type", kCachedWhat));
  VERIFIED_ASSIGN_OR_RETURN(p.source_repository,
                            RequiredString(j, "source_repository", kCachedWhat));
  VERIFIED_ASSIGN_OR_RETURN(p.source_ref, RequiredString(j, "source_ref", kCachedWhat));
  VERIFIED_ASSIGN_OR_RETURN(p.source_commit, RequiredString(j, "source_commit", kCachedWhat));
  const json& deps = j["dependencies"];
  if (!deps.is_array() || deps.size() > kMaxSlsaDependencies) return Bad("slsa.dependencies");
  for (const auto& d : deps) {
    VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> pair, Strings(d, 2, "slsa.dependencies"));
    if (pair.size() != 2) return Bad("slsa.dependencies");
    p.dependencies.push_back({std::move(pair[0]), std::move(pair[1])});
  }
  return p;
}

Result<std::vector<std::vector<std::string>>> SubjectsFrom(const json& j) {
  if (!j.is_array() || j.empty() || j.size() > signature::kMaxStatementSubjects) {
    return Bad("subjects");
  }
  std::vector<std::vector<std::string>> out;
  for (const auto& s : j) {
    VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> pair, Strings(s, 2, "subjects"));
    if (pair.size() != 2 || pair[0].rfind("sha256:", 0) != 0 ||
        !IsHex64(std::string_view(pair[0]).substr(7))) {
      return Bad("subjects");
    }
    out.push_back(std::move(pair));
  }
  return out;
}

}  // namespace

Result<std::string> EncodeCachedAttestation(const CachedAttestation& entry) {
  const auto& a = entry.attestation;
  json subjects = json::array();
  for (size_t i = 0; i < a.statement.subject_digests.size(); ++i) {
    subjects.push_back({a.statement.subject_digests[i],
                        i < a.statement.subject_names.size() ? a.statement.subject_names[i] : ""});
  }
  const auto& f = entry.file;
  json j = {{"file", {f.dev, f.ino, f.size, f.mtime_ns, f.ctime_ns}},
            {"key", a.key_fingerprint},
            {"statement", a.statement.type},
            {"subjects", std::move(subjects)},
            {"type", a.predicate.type}};
  switch (a.predicate.kind) {
    case PredicateKind::kVuln:
      j["vuln"] = VulnJson(a.predicate.vuln);
      break;
    case PredicateKind::kSpdx:
    case PredicateKind::kCycloneDx:
      j["sbom"] = {{"format", a.predicate.sbom.format},
                   {"name", a.predicate.sbom.name},
                   {"packages", a.predicate.sbom.packages}};
      break;
    case PredicateKind::kSlsa:
      j["slsa"] = SlsaJson(a.predicate.provenance);
      break;
    case PredicateKind::kOther:
      break;
  }
  // Every string came from a parsed document and is valid UTF-8; should one not be, the entry
  // is not written rather than written altered (a hit must say what was verified).
  std::string text;
  try {
    text = j.dump();
  } catch (const json::exception& e) {
    return MakeError(ErrorKind::kParse, "{}: {}", kCachedWhat, e.what());
  }
  if (text.size() > kMaxCachedAttestationBytes) {
    return MakeError(ErrorKind::kTooLarge, "{} of {} bytes exceeds {} bytes", kCachedWhat,
                     text.size(), kMaxCachedAttestationBytes);
  }
  return text;
}

Result<CachedAttestation> ParseCachedAttestation(std::string_view text) {
  if (text.size() > kMaxCachedAttestationBytes) {
    return MakeError(ErrorKind::kTooLarge, "{} of {} bytes exceeds {} bytes", kCachedWhat,
                     text.size(), kMaxCachedAttestationBytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(json j, ParseJson(text, kCachedWhat));
  if (!j.is_object()) return Bad("entry");
  CachedAttestation out;
  auto& a = out.attestation;
  VERIFIED_ASSIGN_OR_RETURN(a.predicate.type, RequiredString(j, "type", kCachedWhat));
  a.predicate.kind = KindOf(a.predicate.type);
  const char* member = nullptr;
  switch (a.predicate.kind) {
    case PredicateKind::kVuln:
      member = "vuln";
      break;
    case PredicateKind::kSpdx:
    case PredicateKind::kCycloneDx:
      member = "sbom";
      break;
    case PredicateKind::kSlsa:
      member = "slsa";
      break;
    case PredicateKind::kOther:
      break;
  }
  size_t want = 5 + (member != nullptr ? 1 : 0);
  for (const char* m : {"file", "key", "statement", "subjects"}) {
    if (!j.contains(m)) return Bad(m);
  }
  if (j.size() != want || (member != nullptr && !j.contains(member))) return Bad("members");
  VERIFIED_ASSIGN_OR_RETURN(out.file, StampFrom(j["file"]));
  VERIFIED_ASSIGN_OR_RETURN(a.key_fingerprint, RequiredString(j, "key", kCachedWhat));
  if (!IsHex64(a.key_fingerprint)) return Bad("key");
  VERIFIED_ASSIGN_OR_RETURN(a.statement.type, RequiredString(j, "statement", kCachedWhat));
  if (a.statement.type != signature::kInTotoStatementV1 &&
      a.statement.type != signature::kInTotoStatementV01) {
    return Bad("statement");
  }
  a.statement.predicate_type = a.predicate.type;
  VERIFIED_ASSIGN_OR_RETURN(auto subjects, SubjectsFrom(j["subjects"]));
  for (auto& s : subjects) {
    a.statement.subject_digests.push_back(std::move(s[0]));
    a.statement.subject_names.push_back(std::move(s[1]));
  }
  switch (a.predicate.kind) {
    case PredicateKind::kVuln: {
      VERIFIED_ASSIGN_OR_RETURN(a.predicate.vuln, VulnFrom(j["vuln"]));
      break;
    }
    case PredicateKind::kSpdx:
    case PredicateKind::kCycloneDx: {
      VERIFIED_ASSIGN_OR_RETURN(a.predicate.sbom, SbomFrom(j["sbom"]));
      break;
    }
    case PredicateKind::kSlsa: {
      VERIFIED_ASSIGN_OR_RETURN(a.predicate.provenance, SlsaFrom(j["slsa"]));
      break;
    }
    case PredicateKind::kOther:
      break;
  }
  return out;
}

}  // namespace verified::attestation
