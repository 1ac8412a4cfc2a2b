#include "ctl/engines/podman_storage.h"

#include <algorithm>

#include "verifier/image/reference.h"
#include "verifier/store/cstorage/cstorage_store.h"
#include "verifier/store/cstorage/graphroot.h"

namespace verified::ctl {
namespace {

using cstorage::ImageRecord;

struct Match {
  const ImageRecord* image = nullptr;
  std::string name;  // normalised stored name that matched ("" for a match by id)
};

bool IsHex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

// Images whose normalised names include `wanted`.
std::vector<Match> ByName(const std::vector<ImageRecord>& images, const std::string& wanted) {
  std::vector<Match> out;
  for (const auto& img : images) {
    for (const auto& n : img.names) {
      auto ref = ParseReference(n);
      if (ref.ok() && ref->String() == wanted) out.push_back({&img, ref->String()});
    }
  }
  return out;
}

// A short name ("app:1") against stored names: same path and tag under any registry, as
// libimage does for names that are not fully qualified.
std::vector<Match> ByShortName(const std::vector<ImageRecord>& images, const Reference& want,
                               std::string_view typed_path) {
  std::vector<Match> out;
  for (const auto& img : images) {
    for (const auto& n : img.names) {
      auto ref = ParseReference(n);
      if (!ref.ok() || ref->tag != want.tag || ref->digest != want.digest) continue;
      if (ref->path == typed_path || ref->path == want.path) out.push_back({&img, ref->String()});
    }
  }
  return out;
}

Result<Match> Unique(std::vector<Match> found, const std::string& typed) {
  std::sort(found.begin(), found.end(),
            [](const Match& a, const Match& b) { return a.image->id < b.image->id; });
  found.erase(std::unique(found.begin(), found.end(),
                          [](const Match& a, const Match& b) { return a.image == b.image; }),
              found.end());
  if (found.size() > 1) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "'{}' matches {} images ({} and {}); use a full name or the image id", typed,
                     found.size(), found[0].name, found[1].name);
  }
  return found.front();
}

Result<Match> FindImage(const std::vector<ImageRecord>& images, const std::string& typed) {
  std::string id = typed.rfind("sha256:", 0) == 0 ? typed.substr(7) : typed;
  for (const auto& img : images) {
    if (img.id == id) return Match{&img, ""};
  }
  auto ref = ParseReference(typed);
  if (ref.ok()) {
    auto slash = typed.find('/');
    std::string first = slash == std::string::npos ? "" : typed.substr(0, slash);
    bool qualified = first.find_first_of(".:") != std::string::npos || first == "localhost";
    if (qualified) {
      auto found = ByName(images, ref->String());
      if (!found.empty()) return Unique(std::move(found), typed);
    } else {
      // libimage: localhost/NAME first, then the normalised docker.io name, then any registry.
      auto local = ParseReference("localhost/" + typed);
      for (const std::string& cand : {local.ok() ? local->String() : "", ref->String()}) {
        if (cand.empty()) continue;
        auto found = ByName(images, cand);
        if (!found.empty()) return Unique(std::move(found), typed);
      }
      std::string path = typed.substr(0, typed.find_first_of(":@"));
      auto found = ByShortName(images, *ref, path);
      if (!found.empty()) return Unique(std::move(found), typed);
    }
  }
  if (IsHex(id) && id.size() >= 4 && id.size() < 64) {
    std::vector<Match> found;
    for (const auto& img : images) {
      if (img.id.rfind(id, 0) == 0) found.push_back({&img, img.id});
    }
    if (!found.empty()) return Unique(std::move(found), typed);
  }
  return MakeError(ErrorKind::kNotFound, "no image '{}' in podman's storage", typed);
}

}  // namespace

Result<ResolvedImage> LookupPodmanImage(const StorageLocation& loc, const std::string& typed) {
  VERIFIED_ASSIGN_OR_WRAP(cstorage::GraphRoot root, cstorage::GraphRoot::Open(loc.graphroot),
                          "podman storage (graphroot from {})", loc.source);
  VERIFIED_ASSIGN_OR_RETURN(std::vector<ImageRecord> images, root.Images());
  VERIFIED_ASSIGN_OR_WRAP(Match m, FindImage(images, typed), "graphroot {}", loc.graphroot);
  VERIFIED_ASSIGN_OR_RETURN(cstorage::LayerIndex layers, root.Layers());
  VERIFIED_ASSIGN_OR_WRAP(ResolvedImage img, root.LoadImage(*m.image, layers),
                          "containers/storage {}", loc.graphroot);
  if (!m.name.empty() && m.name != m.image->id) {
    img.typed_reference = m.name;
    img.typed_confirmed = true;
  }
  img.notes.push_back("read from containers/storage graphroot " + loc.graphroot + " (" +
                      loc.source + ")");
  return img;
}

}  // namespace verified::ctl
