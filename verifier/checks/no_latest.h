// Requirement "no_latest": the reference the user typed pins a version. A name with no tag
// ("app") or the tag "latest" is refused (seed 002: "latest tag not allowed in production");
// a name with another tag, a digest reference (name@sha256:...) or an image ID passes. An
// unknown typed reference is refused: it cannot be shown to be pinned.
#pragma once

#include <string>

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: true (false: not required).
Result<RequirementPtr> MakeNoLatest(const nlohmann::json& value);

/// How a typed reference names its image.
enum class TypedKind {
  kUnknown,   ///< empty or unparsable
  kImageId,   ///< a full or short image ID (hex prefix of `image_id`)
  kDigest,    ///< name@sha256:...
  kUntagged,  ///< a name without tag: the engine adds ":latest"
  kLatest,    ///< name:latest
  kTagged,    ///< name:<other tag>
};

/// Classifies what the user typed, given the image's ID (to recognise short IDs).
TypedKind ClassifyTyped(const std::string& typed, const std::string& image_id);

}  // namespace verified
