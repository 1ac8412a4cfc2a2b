#include "verifier/store/cstorage/podman_files.h"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>

namespace verified::cstorage {

// libpod (container_internal_linux.go, makeBindMounts/writeStringToRundir) writes hostname,
// hosts, resolv.conf and .containerenv into the container's RunDir, which containers/storage
// places at <runroot>/overlay-containers/<id>/userdata. The graphroot is proven, the runroot
// is not (storage.conf, --runroot and the engine's defaults decide it), so the runroot is
// recognised by shape instead: the file must be a regular file directly in that directory for
// this container's exact id, and that directory (and the <id> one above it) must be root's and
// not writable by group or others. The id is random and chosen by the engine at create, after
// the caller's mounts are fixed, so a caller cannot have placed a file under it in advance; a
// root-only directory means no other user placed it there afterwards.
bool IsRunrootFile(const std::string& real, const std::string& cid) {
  if (cid.empty()) return false;
  std::string tail = "/overlay-containers/" + cid + "/userdata/";
  size_t at = real.rfind(tail);
  if (at == std::string::npos) return false;
  std::string name = real.substr(at + tail.size());
  if (name.empty() || name.find('/') != std::string::npos) return false;
  struct stat st;
  if (lstat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  for (const std::string& dir :
       {real.substr(0, at + tail.size() - 1), real.substr(0, at + tail.size() - 10)}) {
    if (lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
        (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
      return false;
    }
  }
  return true;
}

EngineFiles ContainerFiles(const std::string& graphroot, const std::string& cid,
                           const nlohmann::json& spec) {
  EngineFiles files;
  // /dev/shm is a tmpfs libpod mounts at the container's ShmDir, in the graphroot
  // (<graphroot>/overlay-containers/<id>/userdata/shm); named volumes live in
  // <graphroot>/volumes/<name>/_data (containers.conf volume_path's default).
  if (!cid.empty()) {
    AddEnginePath(files.container_dirs, graphroot + "/overlay-containers/" + cid + "/userdata");
  }
  AddEnginePath(files.volume_dirs, graphroot + "/volumes");
  auto mounts = spec.find("mounts");
  if (mounts == spec.end() || !mounts->is_array()) return files;
  for (const auto& m : *mounts) {
    if (!m.is_object()) continue;
    auto source = m.find("source");
    if (source == m.end() || !source->is_string()) continue;
    char buf[PATH_MAX];
    if (realpath(source->get<std::string>().c_str(), buf) == nullptr) continue;
    if (IsRunrootFile(buf, cid)) files.container_files.push_back(buf);
  }
  return files;
}

}  // namespace verified::cstorage
