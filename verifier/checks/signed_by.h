// Requirement "signed_by" (with "signatures" and "signed_identity", signature_requirements.h):
// someone holding a trusted key approved exactly this image, proven at every create, offline.
//
// The signatures stored for the image's candidate manifest digests
// (signature/signature_candidates.h) are each verified with only the keys the rule names
// (signature/signature_record.h VerifySignatureRecord), then their signed digest is proven
// down to the image (signature/signature_chain.h): manifest bytes hashing to it, whose config
// digest is the image ID, whose diff_ids are the layer chain the store proved. Under
// repository identity a simple-signing signature also needs its docker-reference's repository
// among the image's stored names; a sigstore bundle names no repository and counts under it
// only through the rule's pattern (the finding says so). The finding lists every signature
// tried, its key, and why it counted or not; the refusal message carries it.
#pragma once

#include "verifier/checks/requirement.h"
#include "verifier/checks/signature_requirements.h"

namespace verified {

/// The signed_by requirement for `rule` (keys are loaded from <config-dir>/keys at each
/// Check; a key that cannot be loaded fails the check, naming it).
RequirementPtr MakeSignedByCheck(SignatureRule rule);

/// The rule a requirement built by MakeSignedByCheck carries; nullptr for any other.
const SignatureRule* SignatureRuleOf(const Requirement& req);

}  // namespace verified
