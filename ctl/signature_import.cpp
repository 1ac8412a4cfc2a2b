#include "ctl/signature_import.h"

#include <optional>

#include "verifier/crypto/sha256.h"
#include "verifier/fs/dir.h"
#include "verifier/signature/cosign_layout.h"
#include "verifier/signature/cosign_simple_signing.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/manifest_binding.h"
#include "verifier/signature/signature_store.h"
#include "verifier/signature/sigstore_bundle.h"
#include "verifier/signature/sigstore_json_signature.h"

namespace verified::ctl {
namespace {

using signature::SignatureFormat;
using signature::SignatureRecord;

// What one source yields before verification: records without a digest yet.
struct Candidates {
  std::vector<SignatureRecord> records;
  std::optional<std::string> manifest;
};

Result<std::string> ReadSignatureText(const std::string& path) {
  VERIFIED_ASSIGN_OR_WRAP(
      std::string text, ReadFileLimited(path, signature::kMaxSignatureBase64Chars + 2), "{}", path);
  // `cosign sign-blob --output-signature` and `cosign download signature` end it with a newline.
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

// `cosign save` output: the image's manifest and the signatures cosign_layout.h finds.
Result<Candidates> ReadLayout(const SignatureImportRequest& req) {
  VERIFIED_ASSIGN_OR_RETURN(signature::CosignLayout layout, signature::ReadCosignLayout(req.dir));
  Candidates out;
  out.manifest = std::move(layout.image_bytes);
  out.records = std::move(layout.records);
  if (out.records.empty()) {
    return MakeError(ErrorKind::kNotFound,
                     "{}: no signature in the layout, only attestations (verifiedctl attestation "
                     "import)",
                     req.dir);
  }
  return out;
}

Result<Candidates> ReadDir(const SignatureImportRequest& req) {
  if (signature::IsOciLayoutDir(req.dir)) return ReadLayout(req);
  Candidates out;
  std::string manifest_path = req.dir + "/manifest.json";
  VERIFIED_ASSIGN_OR_WRAP(out.manifest,
                          ReadFileLimited(manifest_path, signature::kMaxManifestBytes), "{}",
                          manifest_path);
  // containers/image numbers them from 1 without gaps (dir_dest.go PutSignatures); the first
  // missing number ends the list.
  for (size_t n = 1;; ++n) {
    std::string path = req.dir + "/signature-" + std::to_string(n);
    auto bytes = ReadFileLimited(path, signature::kMaxSigstoreJsonFileBytes);
    if (!bytes.ok() && bytes.error().kind() == ErrorKind::kNotFound) break;
    if (!bytes.ok()) return Wrap(std::move(bytes).error(), "{}", path);
    if (n > kMaxDirSignatures) {
      return MakeError(ErrorKind::kTooLarge, "{}: more than {} signatures", req.dir,
                       kMaxDirSignatures);
    }
    VERIFIED_ASSIGN_OR_WRAP(signature::SigstoreJsonSignature sig,
                            signature::ParseSigstoreJsonSignature(*bytes), "{}", path);
    SignatureRecord r;
    r.format = SignatureFormat::kSimpleSigning;
    r.payload = std::move(sig.payload);
    r.signature_base64 = std::move(sig.signature_base64);
    r.source = path;
    out.records.push_back(std::move(r));
  }
  if (out.records.empty()) {
    return MakeError(ErrorKind::kNotFound, "{}: no signature-1 file: nothing to import", req.dir);
  }
  return out;
}

Result<Candidates> ReadFiles(const SignatureImportRequest& req) {
  Candidates out;
  SignatureRecord r;
  if (!req.bundle_file.empty()) {
    r.format = SignatureFormat::kSigstoreBundle;
    VERIFIED_ASSIGN_OR_WRAP(r.bundle, ReadFileLimited(req.bundle_file, signature::kMaxBundleBytes),
                            "{}", req.bundle_file);
    r.source = req.bundle_file;
  } else {
    r.format = SignatureFormat::kSimpleSigning;
    VERIFIED_ASSIGN_OR_WRAP(
        r.payload, ReadFileLimited(req.payload_file, signature::kMaxSimpleSigningPayloadBytes),
        "{}", req.payload_file);
    VERIFIED_ASSIGN_OR_RETURN(r.signature_base64, ReadSignatureText(req.signature_file));
    r.source = req.payload_file;
  }
  out.records.push_back(std::move(r));
  if (!req.manifest_file.empty()) {
    VERIFIED_ASSIGN_OR_WRAP(out.manifest,
                            ReadFileLimited(req.manifest_file, signature::kMaxManifestBytes), "{}",
                            req.manifest_file);
  }
  return out;
}

Status CheckRequest(const SignatureImportRequest& req) {
  int sources = !req.dir.empty() + !req.bundle_file.empty() +
                (!req.payload_file.empty() || !req.signature_file.empty());
  if (sources != 1) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "give exactly one of DIR, --bundle FILE, or --payload FILE --signature FILE");
  }
  if (!req.payload_file.empty() != !req.signature_file.empty()) {
    return MakeError(ErrorKind::kInvalidArgument, "--payload and --signature go together");
  }
  if (!req.dir.empty() && !req.manifest_file.empty()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "--manifest is not used with DIR: its manifest.json is the manifest");
  }
  return Ok();
}

// Sets r.digest from what the signature signs and checks the manifest against it.
Status BindDigest(SignatureRecord& r, const std::optional<std::string>& manifest,
                  const std::vector<signature::PublicKey>& keys) {
  if (manifest && r.format == SignatureFormat::kSigstoreBundle) {
    // A Statement may name several subjects: the manifest says which one is meant, and
    // VerifySignatureRecord checks it is among them.
    r.digest = Sha256Digest(*manifest);
    return Ok();
  }
  VERIFIED_ASSIGN_OR_WRAP(r.digest, signature::SignedDigest(r, keys), "{}", r.source);
  if (manifest) {
    VERIFIED_RETURN_IF_ERROR_WRAP(signature::VerifyManifestBinding(*manifest, r.digest), "{}",
                                  r.source);
  }
  return Ok();
}

}  // namespace

Result<std::vector<ImportedSignature>> ImportSignatures(const std::string& config_dir,
                                                        const SignatureImportRequest& request) {
  VERIFIED_RETURN_IF_ERROR(CheckRequest(request));
  VERIFIED_ASSIGN_OR_RETURN(Candidates c,
                            request.dir.empty() ? ReadFiles(request) : ReadDir(request));
  VERIFIED_ASSIGN_OR_RETURN(std::vector<signature::PublicKey> keys,
                            signature::ListKeys(config_dir));
  std::vector<ImportedSignature> out;
  // Everything is verified before anything is stored.
  for (auto& r : c.records) {
    r.imported_by = request.imported_by;
    r.imported_at = request.imported_at;
    VERIFIED_RETURN_IF_ERROR(BindDigest(r, c.manifest, keys));
    VERIFIED_ASSIGN_OR_WRAP(signature::VerifiedSignature v,
                            signature::VerifySignatureRecord(r, keys), "{}", r.source);
    out.push_back({r, v, false, c.manifest.has_value()});
  }
  for (auto& imported : out) {
    VERIFIED_ASSIGN_OR_RETURN(imported.added,
                              signature::StoreSignature(config_dir, imported.record, c.manifest));
  }
  return out;
}

}  // namespace verified::ctl
