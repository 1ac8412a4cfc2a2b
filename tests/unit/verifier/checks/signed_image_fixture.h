// Test fixture for the signature chain: a config dir with keys made at test time (OpenSSL EVP),
// an image (config, v2s2 manifest) as a store would prove it, and signatures over it stored
// in the signature store as `verifiedctl signature import` stores them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "unit/support/temp_dir.h"
#include "unit/verifier/signature/signing_test_util.h"
#include "verifier/signature/signature_record.h"
#include "verifier/store/resolved_image.h"

namespace verified::testing {

/// An image: its config bytes (image ID = their digest) and a v2s2 manifest naming it.
struct TestImage {
  std::string config;
  std::string image_id;
  std::string manifest;
  std::string manifest_digest;
};

/// An image whose config carries `seed` (so two seeds are two images).
TestImage MakeTestImage(const std::string& seed);

/// An OCI index listing `manifest_digests`.
std::string MakeIndex(const std::vector<std::string>& manifest_digests);

/// A cosign simple-signing payload for `digest` and `docker_reference`.
std::string SimpleSigningPayloadFor(const std::string& digest, const std::string& docker_reference);

/// A simple-signing record over `payload` signed by `signer`, stored under `digest`.
signature::SignatureRecord SignedRecord(const TestSigner& signer, const std::string& payload,
                                        const std::string& digest);

/// A sigstore bundle v0.3 record (cosign's image predicate, subject `digest`).
signature::SignatureRecord BundleRecord(const TestSigner& signer, const std::string& digest);

/// A config dir with keys named as given (P-256), and helpers to store signatures in it.
class SignedFixture {
 public:
  explicit SignedFixture(std::vector<std::string> key_names);
  const std::string& config_dir() const { return config_dir_; }
  const TestSigner& signer(const std::string& key_name) const;
  /// A resolved image for `img`, stored as `names` (no manifests kept: Docker overlay2).
  ResolvedImage Resolved(const TestImage& img, std::vector<std::string> names) const;
  /// StoreSignature; fails the test on error.
  void Store(const signature::SignatureRecord& r, const std::optional<std::string>& manifest) const;
  /// Writes `bytes` as a file the engine keeps and returns its ManifestFile.
  ManifestFile EngineFile(const std::string& bytes) const;

 private:
  TempDir dir_;
  std::string config_dir_;
  std::vector<std::pair<std::string, std::unique_ptr<TestSigner>>> signers_;
};

}  // namespace verified::testing
