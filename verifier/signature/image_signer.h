// Making a cosign simple-signing signature for a local image (verifiedctl sign): the payload
// cosign writes (sigstore/sigstore pkg/signature/payload SimpleContainerImage, marshalled by
// Go's encoding/json):
//
//   {"critical":{"identity":{"docker-reference":"<repository>"},
//                "image":{"docker-manifest-digest":"sha256:<hex>"},
//                "type":"cosign container image signature"},"optional":null}
//
// signed over those bytes with the private key (private_key.h). The result is the same record
// `verifiedctl signature import --payload --signature` stores, and the same files
// `cosign generate` + `cosign sign-blob` produce.
#pragma once

#include <string>
#include <string_view>

#include "verifier/core/result.h"
#include "verifier/signature/private_key.h"
#include "verifier/signature/signature_record.h"
#include "verifier/store/resolved_image.h"

namespace verified::signature {

/// The payload for `repository` (a normalised repository, no tag or digest) and
/// `manifest_digest`, byte for byte as cosign writes it.
std::string MakeSimpleSigningPayload(std::string_view repository, std::string_view manifest_digest);

/// The repository a signature of `image` names: the repository of `identity` when given (it
/// must be one of the image's names' repositories), else of the name it was looked up by
/// (typed_reference, when storage confirmed it), else the single repository among its names.
/// kInvalidArgument when `identity` is not a repository of the image, or when the image has
/// no name or names in several repositories (then `identity` must say which).
Result<std::string> SigningRepository(const ResolvedImage& image, std::string_view identity);

/// Signs `manifest_digest` for `repository` with `key` and returns the record (format
/// simple-signing, digest = manifest_digest; imported_by/at and source left for the caller).
/// The signature is verified with the key's public half and the payload parsed back by
/// ParseSimpleSigningPayload before it is returned (kInternal if that ever fails).
Result<SignatureRecord> SignManifestDigest(const PrivateKey& key, std::string_view repository,
                                           std::string_view manifest_digest);

}  // namespace verified::signature
