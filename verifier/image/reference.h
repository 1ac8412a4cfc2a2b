// Docker image references, parsed and normalised the way the docker CLI and dockerd do
// (github.com/distribution/reference: ParseNormalizedNamed + TagNameOnly).
//
//   python:3.11              -> docker.io/library/python:3.11
//   my_company/nginx         -> docker.io/my_company/nginx:latest
//   localhost:5000/a/b@sha256:... keeps its digest; a name with neither tag nor digest gets
//   ":latest", because that is what the engine stored and runs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "verifier/core/result.h"

namespace verified {

/// A normalised image reference.
struct Reference {
  std::string domain;  ///< registry host[:port], "docker.io" for Docker Hub
  std::string path;    ///< repository path, "library/alpine" for official images
  std::string tag;     ///< "" when the reference is by digest only
  std::string digest;  ///< "sha256:..." or ""

  /// domain + "/" + path.
  std::string Repository() const;
  /// Full normalised form: repository[:tag][@digest].
  std::string String() const;
  /// The short form the docker CLI prints ("alpine:3.20", "my_company/nginx:latest").
  std::string Familiar() const;
  bool operator==(const Reference& o) const {
    return domain == o.domain && path == o.path && tag == o.tag && digest == o.digest;
  }
};

/// Maximum length of a reference we accept (names are at most 255 bytes, plus tag and digest).
inline constexpr size_t kMaxReferenceLength = 512;

/// Parses and normalises `text`. Fails with kInvalidArgument when it is not a valid
/// reference: uppercase repository, bad characters, too long, or a bare 64-hex image ID
/// (which is an ID, not a name; see ParseImageId).
Result<Reference> ParseReference(std::string_view text);

/// Recognises an image ID as typed: "sha256:<64 hex>" or 64 hex. Returns "sha256:<hex>".
std::optional<std::string> ParseImageId(std::string_view text);

/// Splits a reference-like pattern into domain and remainder using Docker's rule: the first
/// component is a registry when it contains '.' or ':' or is "localhost". Used by both
/// ParseReference and policy pattern normalisation so the two can never disagree.
std::pair<std::string, std::string> SplitDomain(std::string_view name);

}  // namespace verified
