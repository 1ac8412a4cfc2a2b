#include "verifier/signature/image_signer.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <set>

#include "verifier/core/base64.h"
#include "verifier/image/digest.h"
#include "verifier/image/reference.h"
#include "verifier/signature/cosign_simple_signing.h"

namespace verified::signature {
namespace {

std::optional<std::string> RepositoryOf(std::string_view name) {
  if (ParseImageId(name)) return std::nullopt;
  auto ref = ParseReference(name);
  if (!ref.ok()) return std::nullopt;
  return ref->Repository();
}

}  // namespace

std::string MakeSimpleSigningPayload(std::string_view repository,
                                     std::string_view manifest_digest) {
  // Repositories and digests hold no character Go's encoder escapes ([a-z0-9._/:-]).
  return fmt::format(
      R"({{"critical":{{"identity":{{"docker-reference":"{}"}},"image":{{"docker-manifest-digest":"{}"}},"type":"{}"}},"optional":null}})",
      repository, manifest_digest, kCosignSignatureType);
}

Result<std::string> SigningRepository(const ResolvedImage& image, std::string_view identity) {
  std::set<std::string> repos;
  for (const auto& n : image.names) {
    if (auto r = RepositoryOf(n)) repos.insert(*r);
  }
  if (!identity.empty()) {
    auto ref = ParseReference(identity);
    if (!ref.ok()) return Wrap(std::move(ref).error(), "--identity");
    if (!ref->digest.empty() || repos.count(ref->Repository()) == 0) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "--identity {}: not a repository of image {} (its names: {})", identity,
                       image.image_id, fmt::join(image.names, ", "));
    }
    return ref->Repository();
  }
  if (image.typed_confirmed) {
    if (auto r = RepositoryOf(image.typed_reference)) return *r;
  }
  if (repos.size() != 1) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "image {} has {} repositories ({}): name the image by one of its names, "
                     "or say which with --identity REPOSITORY",
                     image.image_id, repos.size(), fmt::join(repos, ", "));
  }
  return *repos.begin();
}

Result<SignatureRecord> SignManifestDigest(const PrivateKey& key, std::string_view repository,
                                           std::string_view manifest_digest) {
  if (!IsSha256Digest(manifest_digest)) {
    return MakeError(ErrorKind::kInvalidArgument, "'{}' is not a sha256 digest", manifest_digest);
  }
  SignatureRecord r;
  r.format = SignatureFormat::kSimpleSigning;
  r.digest = std::string(manifest_digest);
  r.payload = MakeSimpleSigningPayload(repository, manifest_digest);
  VERIFIED_ASSIGN_OR_RETURN(std::string sig, key.Sign(r.payload));
  r.signature_base64 = Base64Encode(sig);
  // What we hand out must pass our own strict verifier, as it will at every create.
  auto back = VerifySimpleSigning(key.public_key(), r.payload, r.signature_base64);
  if (!back.ok() || back->manifest_digest != manifest_digest || back->repository != repository) {
    return MakeError(ErrorKind::kInternal, "the signature just made does not verify{}",
                     back.ok() ? std::string(": payload names another digest or repository")
                               : ": " + back.error().What());
  }
  return r;
}

}  // namespace verified::signature
