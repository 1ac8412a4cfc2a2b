// verifiedctl attestation import PATH [--manifest FILE], attestation list [--json], and
// attest IMAGE --key FILE.key --type vuln|spdx|cyclonedx|slsa --predicate FILE [--output FILE]:
// the attestations (signed scans, SBOMs, provenance) the runtime reads at create, stored in
// <config-dir>/attestations, so the whole flow works without cosign or a registry.
#pragma once

#include <CLI/CLI.hpp>

#include "ctl/context.h"

namespace verified::ctl {

/// Adds `attestation import|list` and `attest` to `app`.
void AddAttestationCommands(CLI::App& app, CtlContext& ctx);

}  // namespace verified::ctl
