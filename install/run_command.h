// Running a helper program (dpkg-divert, systemctl) without a shell.
#pragma once

#include <string>
#include <vector>

#include "verifier/core/result.h"

namespace verified::install {

/// Runs argv[0] (searched on PATH) with `argv`, waits, and returns its combined output.
/// Fails with kIo (including the output) when it cannot start or exits non-zero.
Result<std::string> RunCommand(const std::vector<std::string>& argv);

}  // namespace verified::install
