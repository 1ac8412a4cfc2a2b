// What `verifiedctl attestation import` and `verifiedctl attest` do, without argv.
//
// import: reads attestation bundles from a sigstore bundle file, or from a `cosign save`
// layout (the bundle referrers verifier/signature/cosign_layout.h finds, image signatures
// left to `signature import`), verifies every one with the host's keys, and only then stores
// them (verifier/attestation/attestation_store.h) under the manifest digest they attest.
// attest: signs a predicate file for a local image's manifest (the one `verifiedctl sign`
// picks) and stores it the same way.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "verifier/attestation/attestation_bundle.h"
#include "verifier/core/result.h"
#include "verifier/store/resolved_image.h"

namespace verified::ctl {

/// Source of an import.
struct AttestationImportRequest {
  std::string path;           ///< a bundle file, or a `cosign save` OCI layout directory
  std::string manifest_file;  ///< the attested manifest ("" = none; a layout has its own)
};

/// One imported attestation.
struct ImportedAttestation {
  std::string digest;  ///< the manifest digest it is stored under
  std::string id;      ///< hex sha256 of the bundle
  attestation::VerifiedAttestation verified;
  bool added = false;  ///< false: it was already stored
  bool with_manifest = false;
};

/// Imports per `request` into `config_dir`. The digest stored under is the manifest's (which
/// must be a subject of the Statement) or, with no manifest, the Statement's single subject
/// (kInvalidArgument when it has several). Errors: the readers' naming the file;
/// VerifyAttestationBundle's (nothing is stored when one attestation fails); kNotFound when a
/// layout holds no attestation; the store's.
Result<std::vector<ImportedAttestation>> ImportAttestations(
    const std::string& config_dir, const AttestationImportRequest& request);

/// How to attest.
struct AttestRequest {
  std::string key_file;        ///< unencrypted PKCS#8 PEM private key
  std::string type;            ///< vuln | spdx | cyclonedx | slsa
  std::string predicate_file;  ///< the predicate JSON
  std::string output_file;     ///< "" = write no file; else the bundle is written there too
};

/// Attests `image` per `request`, stores the bundle (and the manifest) in `config_dir`.
/// Errors: the key file's, the type's, the predicate's (kParse naming the member, kTooLarge),
/// ManifestForSigning's, the store's, kIo writing the output.
Result<ImportedAttestation> AttestImage(const std::string& config_dir, const ResolvedImage& image,
                                        const AttestRequest& request);

}  // namespace verified::ctl
