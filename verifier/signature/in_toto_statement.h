// in-toto Statements (https://github.com/in-toto/attestation, spec/v1/statement.md), the
// payload of the DSSE envelopes in sigstore bundles. For an image signature written by cosign
// v3 the single subject's digest.sha256 is the signed manifest digest and the predicateType is
// kCosignSignPredicate.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/signature/dsse.h"

namespace verified::signature {

/// The DSSE payloadType of an in-toto Statement.
inline constexpr std::string_view kInTotoPayloadType = "application/vnd.in-toto+json";
/// `_type` of a v1 Statement and of the older v0.1 one (cosign attest still writes v0.1).
inline constexpr std::string_view kInTotoStatementV1 = "https://in-toto.io/Statement/v1";
inline constexpr std::string_view kInTotoStatementV01 = "https://in-toto.io/Statement/v0.1";
/// The predicateType `cosign sign` (v3, bundle format) gives image signatures.
inline constexpr std::string_view kCosignSignPredicate = "https://sigstore.dev/cosign/sign/v1";
/// Most subjects one Statement may list.
inline constexpr size_t kMaxStatementSubjects = 1024;

/// What a Statement claims.
struct InTotoStatement {
  std::string type;                          ///< `_type`
  std::string predicate_type;                ///< `predicateType`
  std::vector<std::string> subject_digests;  ///< each subject's "sha256:<hex>", in order
  std::vector<std::string> subject_names;    ///< each subject's name ("" when absent)

  /// True when one of the subjects has sha256 `digest` ("sha256:<hex>").
  bool HasSubject(std::string_view digest) const;
};

/// Parses `payload` (the decoded DSSE payload bytes) strictly: duplicate keys refused (as Go's
/// encoding/json folds them), only the members _type, subject, predicateType and predicate;
/// `_type` one of the two versions above; 1..kMaxStatementSubjects subjects, each with only
/// name, digest and annotations, and a digest object of strings holding a sha256 of 64
/// lowercase hex (other algorithms may be listed beside it). kParse naming the member
/// otherwise; kTooLarge beyond `max_bytes`. When `predicate` is given it receives the
/// `predicate` member (null when absent), already parsed with the same duplicate-key rules.
Result<InTotoStatement> ParseInTotoStatement(std::string_view payload,
                                             size_t max_bytes = kMaxDssePayloadBytes,
                                             nlohmann::json* predicate = nullptr);

}  // namespace verified::signature
