#include "verifier/store/docker/docker_files.h"

namespace verified::docker {

EngineFiles ContainerFiles(const std::string& data_root, const std::string& cid,
                           const std::string& layer) {
  EngineFiles files;
  // moby daemon/container_operations_unix.go and container/container_unix.go: resolv.conf,
  // hosts, hostname, the shm mount and secrets are created under the container's own dir
  // (container.Root) and bind-mounted from there; named volumes of the local driver live in
  // <data-root>/volumes/<name>/_data (volume/local/local.go).
  if (!cid.empty()) AddEnginePath(files.container_dirs, data_root + "/containers/" + cid);
  AddEnginePath(files.volume_dirs, data_root + "/volumes");
  files.container_layer = layer;
  return files;
}

}  // namespace verified::docker
