// Test helpers for verifier/attestation: predicates written by hand from the published schemas
// (cosign's vuln predicate with a Trivy report, SPDX 2.3, CycloneDX 1.5, SLSA provenance v1)
// and attestation bundles signed at test time with OpenSSL (signing_test_util.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "unit/verifier/signature/signing_test_util.h"

namespace verified::testing {

/// A cosign vuln predicate from Trivy finishing at `finished` (RFC 3339), listing
/// (VulnerabilityID, Severity) pairs in one Result.
nlohmann::json VulnPredicate(const std::string& finished,
                             const std::vector<std::pair<std::string, std::string>>& vulns);

/// A minimal valid SPDX 2.3 JSON document with one package.
nlohmann::json SpdxDocument();

/// A minimal valid CycloneDX 1.5 BOM with one component.
nlohmann::json CycloneDxBom();

/// An SLSA v1 provenance built by `builder` from `git_uri` at `commit`.
nlohmann::json SlsaProvenance(const std::string& builder, const std::string& git_uri,
                              const std::string& commit);

/// An in-toto Statement v0.1 (as cosign attest writes) for subject `digest`.
std::string StatementFor(const std::string& digest, const std::string& predicate_type,
                         const nlohmann::json& predicate);

/// A sigstore bundle v0.3 with the DSSE envelope over `statement`, signed by `signer` (P-256).
std::string AttestationBundle(const TestSigner& signer, const std::string& statement);

/// "YYYY-MM-DDTHH:MM:SSZ" `days` days before now.
std::string DaysAgo(int days);

}  // namespace verified::testing
