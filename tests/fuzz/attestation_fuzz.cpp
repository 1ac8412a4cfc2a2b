// Fuzz target: attestation Statements and their predicates (verifier/attestation/): cosign's
// vuln predicate with a Trivy report, SPDX, CycloneDX, SLSA provenance v1, and the bundle
// around them. Input: an in-toto Statement (as the DSSE payload decodes) or a bundle file.
#include <cstdint>
#include <string>

#include "verifier/attestation/attestation_bundle.h"
#include "verifier/attestation/predicate.h"
#include "verifier/core/go_json_keys.h"
#include "verifier/image/digest.h"

namespace {

// cosign.pub from tests/fixtures/signatures: attestations mutated from seeds never verify.
constexpr char kKey[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFNLqFhf4fiN6o/glAuYnq2jYUeL0\n"
    "vRuLu/z39pmbVwS9ff5AYnlwaP9sxREajdLY9ynM6G1sy6AAmb7Z63TsLg==\n"
    "-----END PUBLIC KEY-----\n";

using namespace verified::attestation;

void CheckPredicate(const Predicate& p) {
  if (p.kind == PredicateKind::kVuln) {
    for (size_t i = 0; i < kSeverityCount; ++i) {
      if (p.vuln.ids[i].size() > kMaxIdsKept || p.vuln.ids[i].size() > p.vuln.counts[i]) {
        __builtin_trap();
      }
    }
  }
  if (p.kind == PredicateKind::kSlsa && !p.provenance.source_repository.empty() &&
      p.provenance.source_commit.empty()) {
    __builtin_trap();
  }
  (void)DescribePredicate(p);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace verified;
  static const signature::PublicKey key = signature::PublicKey::Parse(kKey, "cosign").value();
  std::string in(reinterpret_cast<const char*>(data), size);
  nlohmann::json predicate;
  auto st = signature::ParseInTotoStatement(in, kMaxAttestationPayloadBytes, &predicate);
  if (st.ok()) {
    for (const auto& d : st->subject_digests) {
      if (!IsSha256Digest(d)) __builtin_trap();
    }
    auto p = ParsePredicate(st->predicate_type, predicate);
    if (p.ok()) CheckPredicate(*p);
  }
  // Each predicate parser on the document itself, whatever type it claims.
  auto doc = ParseJsonAsGo(in, "fuzz");
  if (doc.ok()) {
    for (auto kind : {PredicateKind::kVuln, PredicateKind::kSpdx, PredicateKind::kCycloneDx,
                      PredicateKind::kSlsa}) {
      auto p = ParsePredicate(PredicateTypeOf(kind), *doc);
      if (p.ok()) {
        if (p->kind != kind) __builtin_trap();
        CheckPredicate(*p);
      }
    }
  }
  (void)PeekAttestationBundle(in);
  if (VerifyAttestationBundle(in, {key}).ok()) __builtin_trap();
  return 0;
}
