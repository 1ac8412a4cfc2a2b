// The runtime-relevant part of an image config, kept in a registration so that a refusal can
// say what a rebuild changed even after the registered config is gone from the engine's store.
//
// `docker build` of `FROM app:1` plus only ENTRYPOINT, ENV, USER, LABEL or HEALTHCHECK lines
// runs no container and adds no layer: the new image has the registered layer chain but
// another config. The binding itself is the config digest (the image ID); this copy only
// names the fields that differ.
//
// Compact form: a JSON object with the keys below, each present only when the image sets it
// to something non-empty (null, "", [] and {} are all "unset", as Docker treats them):
//   Entrypoint, Cmd, Env, Shell, OnBuild   lists of strings
//   User, WorkingDir, StopSignal, created  strings ("created" is the top-level config key)
//   Labels                                 object of strings
//   ExposedPorts, Volumes                  sorted lists of the config object's keys
//   Healthcheck                            object: Test (list of strings), Interval, Timeout,
//                                          StartPeriod, StartInterval, Retries (integers)
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verifier/core/result.h"

namespace verified {

/// Most entries accepted in one list or object of a compact config.
inline constexpr size_t kMaxRuntimeConfigEntries = 10000;

/// The compact copy of an image config document (the whole config JSON, with "config" and
/// "created"). kParse naming the field when a present field has a type the image config spec
/// does not allow, or more than kMaxRuntimeConfigEntries entries.
Result<nlohmann::json> ExtractRuntimeConfig(const nlohmann::json& image_config);

/// Validates a compact copy read back from a registration record (untrusted bytes): only the
/// keys above, each with its type, non-empty, within the limits. Returns it unchanged.
Result<nlohmann::json> ParseRuntimeConfig(const nlohmann::json& compact);

/// What differs between two compact copies, in the order of the keys above, as short labels:
/// "entrypoint", "env (LD_PRELOAD added)", "labels (maintainer changed)", "user", ...
/// Variable and label values are never shown (they may be secrets), only their names.
/// Empty when they are equal.
std::vector<std::string> RuntimeConfigChanges(const nlohmann::json& registered,
                                              const nlohmann::json& actual);

}  // namespace verified
