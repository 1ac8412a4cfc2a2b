// The files dockerd itself puts into a container, whichever store holds its image.
#pragma once

#include <string>

#include "verifier/store/engine_files.h"

namespace verified::docker {

/// Docker's own files for container `cid` of `data_root`: the directory
/// <data-root>/containers/<cid> (resolv.conf, hosts, hostname, shm, secrets), the named-volume
/// root <data-root>/volumes, and `layer` as the writable layer ("" when not known). Reads
/// nothing but the symlinks of these paths; an empty `cid` lists no container dir.
EngineFiles ContainerFiles(const std::string& data_root, const std::string& cid,
                           const std::string& layer);

}  // namespace verified::docker
