// The combined attestation requirement (attestation_requirements.h): signed statements about
// exactly this image, proven at every create, offline.
//
// The attestations stored for the image's candidate manifest digests are each verified with
// only the rule's keys (attested_by, else signed_by's), bound by their Statement's subject to
// the digest they are stored for, and that digest proven down to the image by the signatures'
// chain (attestation/attestation_collect.h). Then:
//   - vulnerabilities / scan_max_age_days read the newest counted vulnerability scan (by its
//     scanFinishedOn): its counts per severity against the limits, its age against N days;
//   - sbom needs one counted SPDX or CycloneDX attestation;
//   - provenance_builder / provenance_source need one counted SLSA v1 provenance whose builder
//     id and source repository both match the patterns.
// The finding lists each attestation found (key, type, subject, what it said, counted or why
// not) and, on refusal, each unmet part with its numbers ("2 critical over the limit of 0:
// CVE-2024-0001, CVE-2024-0002").
#pragma once

#include "verifier/checks/attestation_requirements.h"
#include "verifier/checks/requirement.h"

namespace verified {

/// The requirement for `rule`. Named "attestations" in findings; keys are loaded from
/// <config-dir>/keys at each Check (a key that cannot be loaded fails it, naming it).
RequirementPtr MakeAttestedCheck(AttestationRule rule);

/// The rule a requirement built by MakeAttestedCheck carries; nullptr for any other.
const AttestationRule* AttestationRuleOf(const Requirement& req);

}  // namespace verified
