// Member checks for the signed JSON documents read here (payloads, statements, bundles):
// a signed document read with unknown or missing members could mean something to its signer
// that we silently ignore, so unexpected members are refused by name.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "verifier/core/result.h"

namespace verified::signature {

/// Checks that `j` is an object whose members are all in `allowed` and that every name in
/// `required` is present. kParse naming `what` and the first offending member otherwise.
Status CheckMembers(const nlohmann::json& j, std::string_view what,
                    std::initializer_list<std::string_view> required,
                    std::initializer_list<std::string_view> allowed);

/// The string member `key` of object `j` (which must be present). kParse naming `what.key`
/// when absent or not a string.
Result<std::string> RequiredString(const nlohmann::json& j, std::string_view key,
                                   std::string_view what);

}  // namespace verified::signature
