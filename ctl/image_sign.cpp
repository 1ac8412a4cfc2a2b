#include "ctl/image_sign.h"

#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"
#include "verifier/signature/image_signer.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/private_key.h"
#include "verifier/signature/signature_store.h"

namespace verified::ctl {
namespace {

Status WriteOutput(const std::string& dir, const SignOutcome& o) {
  VERIFIED_RETURN_IF_ERROR(MakeDirs(dir, 0755));
  VERIFIED_RETURN_IF_ERROR(WriteFileAtomic(dir + "/payload.json", o.record.payload));
  VERIFIED_RETURN_IF_ERROR(WriteFileAtomic(dir + "/payload.sig", o.record.signature_base64));
  return WriteFileAtomic(dir + "/manifest.json", o.manifest.bytes);
}

}  // namespace

Result<SignOutcome> SignImage(const std::string& config_dir, const ResolvedImage& image,
                              const SignRequest& request) {
  VERIFIED_ASSIGN_OR_WRAP(std::string pem,
                          ReadFileLimited(request.key_file, signature::kMaxPrivateKeyFileBytes),
                          "{}", request.key_file);
  auto key = signature::PrivateKey::ParsePem(pem, request.key_file);
  // The PEM text is a secret: do not keep it around longer than needed.
  std::fill(pem.begin(), pem.end(), '\0');
  if (!key.ok()) return std::move(key).error();
  SignOutcome out;
  VERIFIED_ASSIGN_OR_RETURN(out.repository, signature::SigningRepository(image, request.identity));
  VERIFIED_ASSIGN_OR_RETURN(out.manifest, signature::ManifestForSigning(image));
  VERIFIED_ASSIGN_OR_RETURN(
      out.record, signature::SignManifestDigest(*key, out.repository, out.manifest.digest));
  out.record.imported_by = request.signed_by;
  out.record.imported_at = request.signed_at;
  out.record.source = "verifiedctl sign " + image.image_id;
  out.key_fingerprint = key->public_key().fingerprint();
  VERIFIED_ASSIGN_OR_RETURN(std::vector<signature::PublicKey> keys,
                            signature::ListKeys(config_dir));
  for (const auto& k : keys) {
    if (k.fingerprint() == out.key_fingerprint) out.trusted_key = k.name();
  }
  // The manifest goes with the signature: Docker's overlay2 store keeps none, and for the
  // others it is the same bytes the engine holds (StoreSignature checks they hash).
  VERIFIED_ASSIGN_OR_RETURN(out.added,
                            signature::StoreSignature(config_dir, out.record, out.manifest.bytes));
  if (!request.output_dir.empty()) {
    VERIFIED_RETURN_IF_ERROR_WRAP(WriteOutput(request.output_dir, out), "--output {}",
                                  request.output_dir);
  }
  return out;
}

}  // namespace verified::ctl
