// verifiedctl signature import / list / remove: the image signatures the host has accepted, in
// <config-dir>/signatures (verifier/signature/signature_store.h).
#pragma once

#include <CLI/CLI.hpp>

#include "ctl/context.h"

namespace verified::ctl {

/// Adds `signature import (DIR | --bundle FILE | --payload FILE --signature FILE)
/// [--manifest FILE]`, `signature list [--json]` and `signature remove DIGEST` to `app`.
void AddSignatureCommands(CLI::App& app, CtlContext& ctx);

}  // namespace verified::ctl
