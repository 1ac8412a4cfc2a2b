// One entry of the attestation cache (attestation_cache.h): a verified attestation as its
// verification left it (the key that verified it, the Statement's subjects, the predicate as
// its parser read it: counts and first IDs by severity, finish time, SBOM format, SLSA builder
// and source) and the identity of the bundle file whose bytes were verified, as one JSON
// object on one line:
//
//   {"file":[dev,ino,size,mtime_ns,ctime_ns],"key":"<hex fingerprint>",
//    "statement":"https://in-toto.io/Statement/v0.1","subjects":[["sha256:..","name"]],
//    "type":"<predicateType>","vuln":{..}|"sbom":{..}|"slsa":{..}}
//
// exactly one predicate member, the one of the type's kind (none for kOther). Parsing is
// strict (every member present and typed, nothing else, limits as the parsers' own), since
// the file is read back at each create: anything else is not an entry (a miss).
#pragma once

#include <string>
#include <string_view>

#include "verifier/attestation/attestation_bundle.h"
#include "verifier/core/result.h"
#include "verifier/signedpolicy/statement_cache.h"

namespace verified::attestation {

/// Largest entry written or read (an attestation whose summary is larger is not cached).
inline constexpr size_t kMaxCachedAttestationBytes = 64 * 1024;

/// What one entry holds. attestation.key_name is never stored (the caller names the key from
/// the rule's keys by fingerprint).
struct CachedAttestation {
  signedpolicy::FileStamp file;  ///< the bundle file whose bytes were verified
  VerifiedAttestation attestation;
};

/// The entry's JSON text (one line, no newline). kTooLarge beyond kMaxCachedAttestationBytes.
Result<std::string> EncodeCachedAttestation(const CachedAttestation& entry);

/// Parses an entry written by EncodeCachedAttestation. kTooLarge beyond
/// kMaxCachedAttestationBytes; kParse for anything it would not write (a missing, unknown or
/// mistyped member, a fingerprint that is not 64 hex, a subject that is not "sha256:<hex>", a
/// severity count array of another length, more IDs than kMaxIdsKept, more subjects than
/// signature::kMaxStatementSubjects, more dependencies than kMaxSlsaDependencies).
Result<CachedAttestation> ParseCachedAttestation(std::string_view text);

}  // namespace verified::attestation
