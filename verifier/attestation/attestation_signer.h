// Making an attestation (verifiedctl attest): an in-toto Statement v1 whose single subject is
// the image's manifest digest, in a DSSE envelope signed with a private key
// (signature/private_key.h), in a sigstore bundle v0.3 with a publicKey hint and no
// transparency-log entry: the shape `cosign attest --key --new-bundle-format` writes and
// VerifyAttestationBundle reads.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "verifier/attestation/predicate.h"
#include "verifier/core/result.h"
#include "verifier/signature/private_key.h"

namespace verified::attestation {

/// The bundle text attesting `predicate` (of `kind`, never kOther) for `manifest_digest`
/// ("sha256:<hex>"), the subject named `subject_name`. The predicate is parsed by its kind's
/// parser first (a document that would count for nothing is not signed: its error), and the
/// bundle verified back with the key's public half (kInternal if that ever fails).
Result<std::string> MakeAttestationBundle(const signature::PrivateKey& key, PredicateKind kind,
                                          const nlohmann::json& predicate,
                                          std::string_view manifest_digest,
                                          std::string_view subject_name);

}  // namespace verified::attestation
