// The files Podman (libpod over containers/storage) itself puts into a container.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "verifier/store/engine_files.h"

namespace verified::cstorage {

/// Podman's own files for container `cid` of `graphroot`: the directory
/// <graphroot>/overlay-containers/<cid>/userdata (libpod's ShmDir: /dev/shm), every mount
/// source of `spec` (the runtime spec's JSON) that IsRunrootFile accepts (hostname, hosts,
/// resolv.conf, .containerenv), and the named-volume root <graphroot>/volumes. A spec without
/// a mounts list adds no runroot file. The container layer (<graphroot>/overlay/<layer>/diff) is
/// not named: Podman 4.3 puts an /etc/mtab -> /proc/mounts symlink into every new container's
/// layer, which the layer check (sealed_layer.h) would take for added code.
EngineFiles ContainerFiles(const std::string& graphroot, const std::string& cid,
                           const nlohmann::json& spec);

/// True when `real` (a symlink-resolved path) is a regular file directly in
/// <R>/overlay-containers/<cid>/userdata for some runroot R, and that directory and the <cid>
/// one above it are root's and not writable by group or others. False for an empty `cid`.
bool IsRunrootFile(const std::string& real, const std::string& cid);

}  // namespace verified::cstorage
