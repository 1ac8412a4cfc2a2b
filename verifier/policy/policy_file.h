// Loading the host's policy file, <config-dir>/policy.json.
//
// The policy decides what runs on the host: it is read only through the config dir's trust
// check (config/config_dir.h PolicyPath, fs/trusted_file.h), never from a file someone other
// than root (or the user running the tool) could have written.
#pragma once

#include <string>

#include "verifier/core/result.h"
#include "verifier/policy/policy.h"

namespace verified {

/// Loads <config-dir>/policy.json after CheckTrustedPath on the dir and the file. A missing
/// file is kNotFound, with a message saying how to create one; an untrusted dir or file is
/// kPermission; a file that does not parse is ParsePolicy's error naming the file.
Result<Policy> LoadPolicy(const std::string& config_dir);

}  // namespace verified
