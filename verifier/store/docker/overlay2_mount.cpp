#include "verifier/store/docker/overlay2_mount.h"

#include <sys/stat.h>

#include "verifier/fs/dir.h"
#include "verifier/store/docker/layerdb.h"

namespace verified::docker {
namespace {

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

Result<std::string> LowerdirToGraphId(const std::string& overlay2_dir, const std::string& entry) {
  // moby daemon/graphdriver/overlay2/overlay.go: relative lowerdirs are used (with the mount
  // done from inside <overlay2>) when the absolute option string would not fit in a page.
  std::string rel;
  if (entry.front() == '/') {
    if (!StartsWith(entry, overlay2_dir + "/")) {
      return MakeError(ErrorKind::kInconsistent, "lowerdir {} is outside {}", entry, overlay2_dir);
    }
    rel = entry.substr(overlay2_dir.size() + 1);
  } else {
    rel = entry;
  }
  VERIFIED_ASSIGN_OR_RETURN(Dir overlay2, Dir::Open(overlay2_dir));
  if (StartsWith(rel, "l/") && rel.find('/', 2) == std::string::npos) {
    VERIFIED_ASSIGN_OR_RETURN(std::string target, overlay2.ReadLink(rel));
    // The link is "../<id>/diff".
    if (!StartsWith(target, "../") || target.size() < 9 ||
        target.compare(target.size() - 5, 5, "/diff") != 0) {
      return MakeError(ErrorKind::kInconsistent, "lowerdir link {} points at '{}'", rel, target);
    }
    std::string id = target.substr(3, target.size() - 8);
    if (!IsGraphId(id)) {
      return MakeError(ErrorKind::kInconsistent, "lowerdir link {} names '{}'", rel, id);
    }
    return id;
  }
  auto slash = rel.find('/');
  if (slash != std::string::npos && rel.substr(slash) == "/diff" &&
      IsGraphId(rel.substr(0, slash))) {
    return rel.substr(0, slash);
  }
  return MakeError(ErrorKind::kInconsistent, "lowerdir '{}' is not an overlay2 layer", entry);
}

Status CheckOverlay2Mount(const std::vector<MountEntry>& mounts, const std::string& rootfs,
                          const std::string& data_root, const std::string& mount_id,
                          const std::string& init_id, const std::vector<LayerLocation>& layers) {
  VERIFIED_ASSIGN_OR_RETURN(const MountEntry* m, MountedAt(mounts, rootfs));
  VERIFIED_ASSIGN_OR_RETURN(OverlayLayers ov, ParseOverlay(*m));
  std::string overlay2 = data_root + "/overlay2";
  std::string want_upper = overlay2 + "/" + mount_id + "/diff";
  std::string upper =
      ov.upper.empty() || ov.upper.front() == '/' ? ov.upper : overlay2 + "/" + ov.upper;
  if (upper != want_upper) {
    return MakeError(ErrorKind::kInconsistent, "overlay upperdir is '{}', expected {}", ov.upper,
                     want_upper);
  }
  std::vector<std::string> want;
  if (!init_id.empty()) want.push_back(init_id);
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) want.push_back(it->layer_id);
  if (ov.lower.size() != want.size()) {
    return MakeError(ErrorKind::kInconsistent,
                     "overlay at {} has {} lower layers, the image chain needs {}", rootfs,
                     ov.lower.size(), want.size());
  }
  for (size_t i = 0; i < want.size(); ++i) {
    VERIFIED_ASSIGN_OR_RETURN(std::string id, LowerdirToGraphId(overlay2, ov.lower[i]));
    if (id != want[i]) {
      return MakeError(ErrorKind::kInconsistent,
                       "overlay lower layer {} (uppermost first) is {}, the image chain says {}", i,
                       id, want[i]);
    }
  }
  return Ok();
}

}  // namespace verified::docker
