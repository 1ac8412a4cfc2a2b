// Sealed checks on the container's process: entrypoint and arguments, environment, working
// directory and user must be the image's own (see sealed_image.h for where those come from).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verifier/checks/sealed_image.h"
#include "verifier/checks/sealed_options.h"

namespace verified {

/// Returns one sentence per violation (empty = the process is the image's own). A spec whose
/// process section is missing or malformed is itself a violation (fail closed).
std::vector<std::string> CheckSealedProcess(const nlohmann::json& spec, const ImageIntent& image,
                                            const SealedOptions& options);

/// Compact display of an argument list for messages: ["sh","-c","x"], cut at 200 characters.
std::string ShowArgs(const std::vector<std::string>& args);

}  // namespace verified
