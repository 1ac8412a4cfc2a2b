// verifiedctl sign IMAGE --key FILE.key [--output DIR]: signs a local image in the cosign
// simple-signing format and stores the signature in <config-dir>/signatures (with the signed
// manifest), so the runtime can check it at create without a registry or cosign.
#pragma once

#include <CLI/CLI.hpp>

#include "ctl/context.h"

namespace verified::ctl {

/// Adds `sign IMAGE --key FILE [--output DIR] [--identity REPO] [--engine docker|containerd|
/// podman] [--root DIR] [--runroot DIR] [--containerd-root DIR] [--namespace NS]` to `app`.
void AddSignCommand(CLI::App& app, CtlContext& ctx);

}  // namespace verified::ctl
