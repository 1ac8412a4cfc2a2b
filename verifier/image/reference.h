// Docker image references, parsed and normalised the way the docker CLI and dockerd do
// (github.com/distribution/reference: ParseNormalizedNamed + TagNameOnly).
//
//   python:3.11              -> docker.io/library/python:3.11
//   my_company/nginx         -> docker.io/my_company/nginx:latest
//   localhost:5000/a/b@sha256:... keeps its digest; a name with neither tag nor digest gets
//   ":latest", because that is what the engine stored and runs.
//
// One step further than Docker: the registry host is case-folded and Docker Hub's aliases are
// folded into "docker.io" (NormaliseDomain), so every spelling of one repository compares
// equal. Repository paths keep their case (Docker refuses uppercase paths; so do we).
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

/// The canonical spelling of a registry host[:port]. Host names are case-insensitive (RFC 4343),
/// so the host is lowercased; Docker Hub's aliases "index.docker.io" and "registry-1.docker.io"
/// become "docker.io" (moby registry/config.go IndexHostname, DefaultRegistryHost). The one
/// exception to lowercase: a single-label host without port other than "localhost" ("EVIL" in
/// "EVIL/x") is only a registry because of its capitals (distribution/reference
/// splitDockerDomain); lowercased it would read as a Docker Hub namespace, so its canonical
/// spelling is upper case. Never fails; the caller validates the host. Ports are kept as
/// written ("host:443" and "host" stay different names, as they are to Docker).
std::string NormaliseDomain(std::string_view domain);

/// True for the lowercase spellings of Docker Hub's registry: "docker.io", "index.docker.io",
/// "registry-1.docker.io".
bool IsDockerHubHost(std::string_view lowercase_host);

/// Splits a reference-like pattern into domain and remainder using Docker's rule: the first
/// component is a registry when it contains '.' or ':' or is "localhost". Used by both
/// ParseReference and policy pattern normalisation so the two can never disagree. The domain
/// returned is normalised (NormaliseDomain).
std::pair<std::string, std::string> SplitDomain(std::string_view name);

}  // namespace verified
