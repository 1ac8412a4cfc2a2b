// OCI content digests and Docker/OCI chain IDs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"

namespace verified {

/// True for "sha256:" followed by exactly 64 lowercase hex characters.
bool IsSha256Digest(std::string_view s);

/// True for exactly 64 lowercase hex characters.
bool IsHex64(std::string_view s);

/// Returns `s` when IsSha256Digest(s), otherwise kParse naming `what`.
Result<std::string> ParseDigest(std::string_view s, std::string_view what);

/// The hex part of a valid digest ("sha256:abc" -> "abc").
inline std::string_view DigestHex(std::string_view digest) { return digest.substr(7); }

/// Chain IDs of a layer list (OCI image spec, "ChainID"): chain[0] = diff[0],
/// chain[i] = sha256(chain[i-1] + " " + diff[i]). Inputs must be valid digests.
std::vector<std::string> ChainIds(const std::vector<std::string>& diff_ids);

}  // namespace verified
