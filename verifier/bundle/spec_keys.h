// The spelling of config.json keys: runc's Go decoder takes "Mounts" (or "mount\u017f") for the
// OCI field "mounts", while every check here looks keys up exactly.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "verifier/core/result.h"

namespace verified {

/// The OCI field name (runtime-spec specs-go/config.go JSON tags, up to v1.2) that Go's
/// encoding/json would decode `key` into although it is spelled differently, or "" when
/// `key` is spelled exactly like a field name or matches none.
std::string_view OciFieldMisspelledAs(std::string_view key);

/// Fails with kParse when any object of the parsed spec `doc`, outside the maps whose keys are
/// data (annotations, linux.sysctl, linux.resources.unified, linux.netDevices,
/// linux.timeOffsets), has a key that runc would take for an OCI field spelled otherwise:
/// a "Mounts" with no "mounts" hides its binds from every check. Call after CheckGoJsonKeys.
Status CheckSpecKeySpelling(const nlohmann::json& doc);

}  // namespace verified
