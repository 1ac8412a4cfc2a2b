// Requirement "registries": the image comes from an allowed registry.
//
// The registry is the domain of the name that selected the rule (the tag the user typed when
// storage confirms it); with no such name, of what the user typed, and failing that of every
// name storage holds for the image. Hosts are compared whole and exactly, after Docker's
// normalisation (no registry = docker.io, index.docker.io and registry-1.docker.io = docker.io,
// host names lower case):
// "registry.example.com" never admits "registry.example.com.evil.io",
// "evil.io/registry.example.com/x" or "registry.example.com:5000".
#pragma once

#include <string>
#include <vector>

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: a non-empty list of registry hosts ("docker.io", "registry.local:5000"); a single
/// string is accepted as a list of one.
Result<RequirementPtr> MakeRegistries(const nlohmann::json& value);

/// Normalises a registry host from a policy ("Registry.Local:5000" -> "registry.local:5000",
/// "index.docker.io", "registry-1.docker.io" -> "docker.io"); kInvalidArgument for anything that is
/// not host[:port] (schemes, paths, wildcards, empty).
Result<std::string> NormaliseRegistryHost(const std::string& host);

}  // namespace verified
