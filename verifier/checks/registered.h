// Requirement "registered": the image's layer chain equals the chain registered for it.
//
// Run by a tag the user typed (and storage confirms): the registration of exactly that name
// must exist and its chain must equal the image's, so a rebuilt or re-pointed tag is refused
// with expected and actual top chainIDs. Run by image ID or digest: some registration whose
// name the rule covers must have exactly this chain.
#pragma once

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: true (false is accepted and means "not required").
Result<RequirementPtr> MakeRegistered(const nlohmann::json& value);

/// First index where two chains differ, or their common length when one is a prefix.
size_t FirstChainDifference(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace verified
