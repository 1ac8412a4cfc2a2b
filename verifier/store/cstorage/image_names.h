// Which name a container's image was asked for, confirmed by storage.
//
// CRI-O records the image in annotations (io.kubernetes.cri-o.Image: as the pod spec asked;
// io.kubernetes.cri-o.ImageName: some name of it; io.kubernetes.cri-o.ImageRef: its id), and
// Podman and CRI-O record the resolved name in the container's storage metadata. Annotations
// are caller-supplied (a CRI client or `podman run --annotation` can set any of them), so a
// name is used for name-based rules only when storage maps it to this very image now.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "verifier/bundle/spec.h"
#include "verifier/store/cstorage/records.h"

namespace verified::cstorage {

inline constexpr const char* kCrioImageAnnotation = "io.kubernetes.cri-o.Image";
inline constexpr const char* kCrioImageNameAnnotation = "io.kubernetes.cri-o.ImageName";
inline constexpr const char* kCrioImageRefAnnotation = "io.kubernetes.cri-o.ImageRef";

/// The outcome: the name to show and match, whether storage confirmed it, and what was
/// ignored and why (for `explain` and the decision log).
struct TypedName {
  std::string name;  ///< "" when no candidate exists
  bool confirmed = false;
  std::vector<std::string> notes;
};

/// True when storage proves `digest` is a manifest of the image (the caller hashes the
/// stored manifest); used to confirm "repo@sha256:..." names.
using ManifestCheck = std::function<bool(const std::string& digest)>;

/// Decides the typed name. Candidates, in order: the CRI-O Image and ImageName annotations
/// (all CRI-O annotations are ignored when ImageRef names another image), then the storage
/// metadata image-name. The first that storage confirms wins: its normalised form is among
/// `names` (the image's normalised names), or it is repo@digest with a repository the image
/// is named in and a digest `manifest_ok` proves. When none is confirmed, the metadata name
/// (written by the engine itself) is kept unconfirmed for display; annotation names never are.
/// `spec` may be nullptr.
TypedName DecideTypedName(const Spec* spec, const ContainerRecord& ctr, const ImageRecord& image,
                          const std::vector<std::string>& names, const ManifestCheck& manifest_ok);

}  // namespace verified::cstorage
