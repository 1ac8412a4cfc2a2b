// Requirement "registered": the image is the one registered for it: its layer chain and its
// config (image ID) equal the registration's (the layer chain alone for a registration made
// with --layers-only; see registered_config.h).
//
// Run by a tag the user typed (and storage confirms): the registration of exactly that name
// must exist and bind the image, so a rebuilt or re-pointed tag is refused with expected and
// actual top chainIDs, and a metadata-only rebuild with both config digests and the fields it
// changed. Run by image ID or digest: some registration whose name the rule covers must bind
// exactly this image.
#pragma once

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: true (false is accepted and means "not required").
Result<RequirementPtr> MakeRegistered(const nlohmann::json& value);

/// First index where two chains differ, or their common length when one is a prefix.
size_t FirstChainDifference(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace verified
