// What `verifiedctl signature import` does, without argv: reads the signatures from one of
// three sources, verifies every one against the host's keys and the manifest, and only then
// stores them all (verifier/signature/signature_store.h). One signature that fails refuses the
// whole import: nothing is stored.
#pragma once

#include <string>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/signature/signature_record.h"

namespace verified::ctl {

/// The source: exactly one of `dir`, `bundle_file`, or `payload_file` with `signature_file`.
struct SignatureImportRequest {
  /// A containers/image dir: layout (manifest.json, signature-N), or an OCI layout written by
  /// `cosign save` (it has an oci-layout file; verifier/signature/cosign_layout.h).
  std::string dir;
  std::string bundle_file;     ///< a sigstore bundle v0.3 (.sigstore.json)
  std::string payload_file;    ///< cosign simple-signing payload bytes
  std::string signature_file;  ///< its signature, base64 (a trailing newline is allowed)
  std::string manifest_file;   ///< the signed manifest ("" when not given; not with `dir`)
  std::string imported_by;     ///< recorded with each signature
  std::string imported_at;     ///< recorded with each signature
};

/// One imported signature.
struct ImportedSignature {
  signature::SignatureRecord record;
  signature::VerifiedSignature verified;
  bool added = false;  ///< false: it was already stored
  bool with_manifest = false;
};

/// Most signature-N files read from one directory.
inline constexpr size_t kMaxDirSignatures = 64;

/// Imports per `request` into `config_dir`. kInvalidArgument for a request that is not exactly
/// one source; the readers' errors naming the file; "signed by no trusted key" (kIntegrity, or
/// kNotFound when no key is trusted) when a signature verifies with none of
/// <config-dir>/keys; kIntegrity when the manifest does not hash to the signed digest; the
/// store's errors. A signature that fails verification stores nothing; a store error may
/// leave the signatures before it stored (each one whole).
Result<std::vector<ImportedSignature>> ImportSignatures(const std::string& config_dir,
                                                        const SignatureImportRequest& request);

}  // namespace verified::ctl
