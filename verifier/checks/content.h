// Requirement "content": the bytes on disk are the image's bytes.
//
//   {"match": "my_company/*", "action": "allow", "content": "full"}
//
// "full" re-hashes every layer on every create: each layer directory must reproduce its
// diffID (tar-split stores) or match the manifest built from its content-store blob
// (containerd), and hold exactly the layer's files and metadata. "cached" does the same once,
// records fingerprints under <config-dir>/content-cache and afterwards re-hashes only what
// changed. "off" (the default) checks nothing. See docs/content.md for what each guarantees.
#pragma once

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: "off", "full" or "cached".
Result<RequirementPtr> MakeContent(const nlohmann::json& value);

}  // namespace verified
