// A registered image: the administrator's statement "this name is this image": its layer
// chain and, unless registered with --layers-only, its config (the image ID is the config's
// digest, so a metadata-only rebuild, which keeps the layers, is another image).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verifier/core/result.h"

namespace verified {

/// One registration record, stored as JSON.
struct Registration {
  /// Normalised reference with tag ("docker.io/library/alpine:3.20"); a record written before
  /// hosts were case-folded may keep its host as written: always compare ParseReference(name).
  std::string name;
  std::string image_id;  ///< "sha256:..." config digest at registration time
  std::vector<std::string> diff_ids;
  std::vector<std::string> chain_ids;
  std::vector<std::string> repo_digests;  ///< "repo@sha256:..." the engine knew
  std::string registered_at;              ///< RFC 3339 UTC
  std::string registered_by;              ///< "user (uid N)"
  std::string engine;                     ///< where it was read from ("docker", ...)
  /// Registered with --layers-only: any config over this layer chain counts (an explicit,
  /// weaker statement; off by default).
  bool layers_only = false;
  /// Compact copy of the config's runtime fields (verifier/image/runtime_config.h), kept to
  /// name what a rebuild changed; null in records written before configs were bound.
  nlohmann::json config;

  std::string TopChainId() const { return chain_ids.empty() ? std::string() : chain_ids.back(); }
};

/// Serialises a registration.
nlohmann::json RegistrationToJson(const Registration& r);

/// Most repo digests one record may list.
inline constexpr size_t kMaxRepoDigests = 1000;

/// Parses and validates a registration (untrusted bytes: strict): only known keys, each of its
/// type; name must be a normalised reference (or the older spelling with the registry host as
/// written, still accepted), digests valid, chain_ids must equal ChainIds(diff_ids) (a record
/// cannot claim a chain it does not have); `config`, when present, must be a valid compact
/// config (ParseRuntimeConfig). kParse / kInconsistent.
Result<Registration> RegistrationFromJson(const nlohmann::json& j);

}  // namespace verified
