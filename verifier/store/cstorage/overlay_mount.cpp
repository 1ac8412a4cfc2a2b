#include "verifier/store/cstorage/overlay_mount.h"

#include <sys/stat.h>

#include "verifier/store/cstorage/limits.h"
#include "verifier/store/cstorage/records.h"

namespace verified::cstorage {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "<home>/x" or "x" -> "x"; anything absolute outside <home> is not ours.
Result<std::string> RelativeToHome(const std::string& home, const std::string& entry) {
  if (entry.empty()) return MakeError(ErrorKind::kInconsistent, "empty overlay directory entry");
  if (entry.front() != '/') return entry;
  if (!StartsWith(entry, home + "/")) {
    return MakeError(ErrorKind::kInconsistent, "overlay directory {} is outside {}", entry, home);
  }
  return entry.substr(home.size() + 1);
}

}  // namespace

Result<std::string> LowerdirToLayerId(const Dir& overlay, const std::string& entry) {
  VERIFIED_ASSIGN_OR_RETURN(std::string rel, RelativeToHome(overlay.path(), entry));
  if (StartsWith(rel, "l/") && rel.find('/', 2) == std::string::npos) {
    VERIFIED_ASSIGN_OR_RETURN(std::string target, overlay.ReadLink(rel));
    // The driver creates the link as "../<id>/diff" (overlay.go create()).
    if (target.size() > kMaxLinkBytes || !StartsWith(target, "../") || !EndsWith(target, "/diff")) {
      return MakeError(ErrorKind::kInconsistent, "overlay link {} points at '{}'", rel, target);
    }
    std::string id = target.substr(3, target.size() - 8);
    if (!IsStorageId(id)) {
      return MakeError(ErrorKind::kInconsistent, "overlay link {} names '{}'", rel, id);
    }
    return id;
  }
  auto slash = rel.find('/');
  if (slash != std::string::npos && IsStorageId(rel.substr(0, slash)) &&
      StartsWith(rel.substr(slash), "/diff")) {
    return MakeError(ErrorKind::kUnsupported,
                     "lowerdir {} is an extra diff directory of a layer; not supported", entry);
  }
  return MakeError(ErrorKind::kUnsupported,
                   "lowerdir '{}' is not a layer link of this graph root (composefs, ID-mapped "
                   "or additional image store mounts are not supported)",
                   entry);
}

Status CheckStorageMount(const std::vector<MountEntry>& mounts, const std::string& rootfs,
                         const std::string& graphroot, const std::string& ctr_layer,
                         const std::vector<LayerLocation>& layers) {
  VERIFIED_ASSIGN_OR_RETURN(const MountEntry* m, MountedAt(mounts, rootfs));
  if (m->fs_type != "overlay") {
    return MakeError(ErrorKind::kUnsupported,
                     "{} is a '{}' mount, not a kernel overlay (fuse-overlayfs mount_program "
                     "stores are not supported)",
                     rootfs, m->fs_type);
  }
  VERIFIED_ASSIGN_OR_RETURN(OverlayLayers ov, ParseOverlay(*m));
  std::string home = graphroot + "/overlay";
  VERIFIED_ASSIGN_OR_RETURN(std::string upper, RelativeToHome(home, ov.upper));
  if (upper != ctr_layer + "/diff") {
    return MakeError(ErrorKind::kInconsistent, "overlay upperdir is '{}', expected {}/{}/diff",
                     ov.upper, home, ctr_layer);
  }
  if (layers.empty()) {
    // An image without layers: the driver mounts the container layer's "empty" directory.
    auto only = ov.lower.size() == 1 ? RelativeToHome(home, ov.lower[0]) : std::string();
    if (!only.ok() || *only != ctr_layer + "/empty") {
      return MakeError(ErrorKind::kInconsistent,
                       "the image has no layers but the overlay at {} has {} lower directories",
                       rootfs, ov.lower.size());
    }
    return Ok();
  }
  if (ov.lower.size() != layers.size()) {
    return MakeError(ErrorKind::kInconsistent,
                     "overlay at {} has {} lower layers, the image chain needs {}", rootfs,
                     ov.lower.size(), layers.size());
  }
  VERIFIED_ASSIGN_OR_RETURN(Dir overlay, Dir::Open(home));
  for (size_t i = 0; i < layers.size(); ++i) {
    const std::string& want = layers[layers.size() - 1 - i].layer_id;
    VERIFIED_ASSIGN_OR_RETURN(std::string id, LowerdirToLayerId(overlay, ov.lower[i]));
    if (id != want) {
      return MakeError(ErrorKind::kInconsistent,
                       "overlay lower layer {} (uppermost first) is {}, the image chain says {}", i,
                       id, want);
    }
  }
  return Ok();
}

}  // namespace verified::cstorage
