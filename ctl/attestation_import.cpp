#include "ctl/attestation_import.h"

#include <algorithm>

#include "verifier/attestation/attestation_signer.h"
#include "verifier/attestation/attestation_store.h"
#include "verifier/core/go_json_keys.h"
#include "verifier/crypto/sha256.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"
#include "verifier/signature/cosign_layout.h"
#include "verifier/signature/image_manifest.h"
#include "verifier/signature/image_signer.h"
#include "verifier/signature/in_toto_statement.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/manifest_binding.h"

namespace verified::ctl {
namespace {

struct Source {
  std::vector<std::pair<std::string, std::string>> bundles;  // (where, bytes)
  std::optional<std::string> manifest;
};

// `cosign save` layouts: the bundle referrers whose Statement is not an image signature.
Result<Source> ReadLayout(const std::string& dir) {
  VERIFIED_ASSIGN_OR_RETURN(signature::CosignLayout layout, signature::ReadCosignLayout(dir));
  Source out;
  out.manifest = std::move(layout.image_bytes);
  // Legacy `.att` layers: bare DSSE envelopes, read as the bundles they are equivalent to.
  for (auto& [where, envelope] : layout.dsse_envelopes) {
    VERIFIED_ASSIGN_OR_WRAP(std::string bundle, attestation::BundleFromDsseEnvelope(envelope), "{}",
                            where);
    out.bundles.emplace_back(where, std::move(bundle));
  }
  for (auto& r : layout.records) {
    if (r.format != signature::SignatureFormat::kSigstoreBundle) continue;
    auto st = attestation::PeekAttestationBundle(r.bundle);
    if (st.ok() && st->predicate_type == signature::kCosignSignPredicate) continue;
    out.bundles.emplace_back(r.source, std::move(r.bundle));
  }
  if (out.bundles.empty()) {
    return MakeError(ErrorKind::kNotFound,
                     "{}: no attestation bundle in the layout (image signatures are imported "
                     "with verifiedctl signature import)",
                     dir);
  }
  return out;
}

Result<Source> ReadSource(const AttestationImportRequest& req) {
  Source out;
  if (signature::IsOciLayoutDir(req.path)) {
    if (!req.manifest_file.empty()) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "--manifest is not used with a layout: its image manifest is the manifest");
    }
    return ReadLayout(req.path);
  }
  VERIFIED_ASSIGN_OR_WRAP(std::string bytes,
                          ReadFileLimited(req.path, attestation::kMaxAttestationBundleBytes), "{}",
                          req.path);
  if (attestation::LooksLikeDsseEnvelope(bytes)) {
    VERIFIED_ASSIGN_OR_WRAP(bytes, attestation::BundleFromDsseEnvelope(bytes), "{}", req.path);
  }
  out.bundles.emplace_back(req.path, std::move(bytes));
  if (!req.manifest_file.empty()) {
    VERIFIED_ASSIGN_OR_WRAP(out.manifest,
                            ReadFileLimited(req.manifest_file, signature::kMaxManifestBytes), "{}",
                            req.manifest_file);
  }
  return out;
}

Result<std::string> DigestFor(const attestation::VerifiedAttestation& v,
                              const std::optional<std::string>& manifest) {
  if (manifest) {
    std::string d = Sha256Digest(*manifest);
    if (!v.statement.HasSubject(d)) {
      return MakeError(ErrorKind::kIntegrity,
                       "the attestation's subjects do not include the manifest's digest {}", d);
    }
    return d;
  }
  if (v.statement.subject_digests.size() != 1) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "the attestation names {} subjects: give the manifest it is for (--manifest)",
                     v.statement.subject_digests.size());
  }
  return v.statement.subject_digests[0];
}

}  // namespace

Result<std::vector<ImportedAttestation>> ImportAttestations(
    const std::string& config_dir, const AttestationImportRequest& request) {
  VERIFIED_ASSIGN_OR_RETURN(Source src, ReadSource(request));
  VERIFIED_ASSIGN_OR_RETURN(std::vector<signature::PublicKey> keys,
                            signature::ListKeys(config_dir));
  std::vector<ImportedAttestation> out;
  // Everything is verified before anything is stored.
  for (const auto& [where, bytes] : src.bundles) {
    ImportedAttestation i;
    VERIFIED_ASSIGN_OR_WRAP(i.verified, attestation::VerifyAttestationBundle(bytes, keys), "{}",
                            where);
    VERIFIED_ASSIGN_OR_WRAP(i.digest, DigestFor(i.verified, src.manifest), "{}", where);
    i.id = Sha256Hex(bytes);
    i.with_manifest = src.manifest.has_value();
    out.push_back(std::move(i));
  }
  for (size_t n = 0; n < out.size(); ++n) {
    VERIFIED_ASSIGN_OR_RETURN(out[n].added,
                              attestation::StoreAttestation(config_dir, out[n].digest,
                                                            src.bundles[n].second, src.manifest));
  }
  return out;
}

Result<ImportedAttestation> AttestImage(const std::string& config_dir, const ResolvedImage& image,
                                        const AttestRequest& request) {
  VERIFIED_ASSIGN_OR_RETURN(attestation::PredicateKind kind,
                            attestation::ParseKindName(request.type));
  VERIFIED_ASSIGN_OR_WRAP(
      std::string text,
      ReadFileLimited(request.predicate_file, attestation::kMaxAttestationPayloadBytes), "{}",
      request.predicate_file);
  VERIFIED_ASSIGN_OR_WRAP(nlohmann::json predicate, ParseJsonAsGo(text, "predicate"), "{}",
                          request.predicate_file);
  VERIFIED_ASSIGN_OR_WRAP(std::string pem,
                          ReadFileLimited(request.key_file, signature::kMaxPrivateKeyFileBytes),
                          "{}", request.key_file);
  auto key = signature::PrivateKey::ParsePem(pem, request.key_file);
  std::fill(pem.begin(), pem.end(), '\0');  // a secret: not kept longer than needed
  if (!key.ok()) return std::move(key).error();
  VERIFIED_ASSIGN_OR_RETURN(signature::ImageManifest manifest,
                            signature::ManifestForSigning(image));
  auto repo = signature::SigningRepository(image, "");
  std::string name = repo.ok() ? *repo : image.image_id;
  VERIFIED_ASSIGN_OR_WRAP(
      std::string bundle,
      attestation::MakeAttestationBundle(*key, kind, predicate, manifest.digest, name), "{}",
      request.predicate_file);
  ImportedAttestation out;
  out.digest = manifest.digest;
  out.id = Sha256Hex(bundle);
  out.with_manifest = true;
  VERIFIED_ASSIGN_OR_RETURN(out.verified,
                            attestation::VerifyAttestationBundle(bundle, {key->public_key()}));
  // The runtime counts it only under the name the host trusts the key as: say which.
  out.verified.key_name.clear();
  VERIFIED_ASSIGN_OR_RETURN(std::vector<signature::PublicKey> keys,
                            signature::ListKeys(config_dir));
  for (const auto& k : keys) {
    if (k.fingerprint() == key->public_key().fingerprint()) out.verified.key_name = k.name();
  }
  VERIFIED_ASSIGN_OR_RETURN(
      out.added, attestation::StoreAttestation(config_dir, out.digest, bundle, manifest.bytes));
  if (!request.output_file.empty()) {
    VERIFIED_RETURN_IF_ERROR_WRAP(WriteFileAtomic(request.output_file, bundle, 0644), "--output {}",
                                  request.output_file);
  }
  return out;
}

}  // namespace verified::ctl
