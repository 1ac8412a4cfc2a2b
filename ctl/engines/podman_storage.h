// verifiedctl's view of Podman's images: read straight from containers/storage (no podman
// API, no lock taken), proven exactly as the runtime proves a container's image at create.
#pragma once

#include <string>

#include "ctl/engines/storage_conf.h"
#include "verifier/store/resolved_image.h"

namespace verified::ctl {

/// Finds `typed` in the graph root as podman does: a full image id, a name (a short name is
/// tried as localhost/NAME, then docker.io's normalisation, then as the unique image whose
/// stored name has that path and tag), or a unique id prefix. Then loads and proves it
/// (config hashed, layer chain walked). When found by name, typed_reference is the stored
/// name that matched and typed_confirmed is true. kNotFound / kInvalidArgument (ambiguous).
Result<ResolvedImage> LookupPodmanImage(const StorageLocation& loc, const std::string& typed);

}  // namespace verified::ctl
