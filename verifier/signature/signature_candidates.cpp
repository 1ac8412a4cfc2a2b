#include "verifier/signature/signature_candidates.h"

#include <algorithm>
#include <utility>

#include "verifier/signature/config_index.h"
#include "verifier/signature/engine_signatures.h"

namespace verified::signature {
namespace {

using Digests = std::vector<std::pair<std::string, CandidateSource>>;

void AddUnique(Digests& out, const std::string& digest, CandidateSource source) {
  bool seen = std::any_of(out.begin(), out.end(), [&](const auto& d) { return d.first == digest; });
  if (!seen) out.emplace_back(digest, source);
}

// The candidate digests, one source per block.
Result<Digests> Lookup(const std::string& config_dir, const ResolvedImage& image) {
  Digests out;
  for (const auto& f : image.manifest_files) {
    AddUnique(out, f.digest, CandidateSource::kEngineManifest);
  }
  // Always consulted, not only for engines that keep no manifests: a manifest stored with a
  // signature is bound as strongly (it hashes to the signed digest and names the image's
  // config) as one the engine keeps.
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> by_config,
                            SignedManifestsForConfig(config_dir, image.image_id));
  for (const auto& d : by_config) AddUnique(out, d, CandidateSource::kStoredConfig);
  return out;
}

}  // namespace

Result<std::vector<std::string>> CandidateDigests(const std::string& config_dir,
                                                  const ResolvedImage& image) {
  VERIFIED_ASSIGN_OR_RETURN(Digests digests, Lookup(config_dir, image));
  std::vector<std::string> out;
  for (const auto& d : digests) out.push_back(d.first);
  return out;
}

Result<std::vector<SignatureCandidate>> CollectSignatures(const std::string& config_dir,
                                                          const ResolvedImage& image) {
  VERIFIED_ASSIGN_OR_RETURN(Digests digests, Lookup(config_dir, image));
  std::vector<SignatureCandidate> out;
  for (const auto& [digest, source] : digests) {
    VERIFIED_ASSIGN_OR_RETURN(StoredSignatureFiles stored, SignatureFilesFor(config_dir, digest));
    // Signatures the engine keeps with the image (Podman's use-sigstore-attachments): as
    // unverified as imported ones, checked the same way by the caller. Keys count once per
    // key, so a signature both imported and kept by the engine cannot count twice.
    VERIFIED_ASSIGN_OR_RETURN(std::vector<SignatureRecord> kept,
                              EngineSignaturesFor(image, digest));
    if (stored.records.empty() && kept.empty()) continue;
    out.push_back(SignatureCandidate{source, std::move(stored), std::move(kept)});
  }
  return out;
}

}  // namespace verified::signature
