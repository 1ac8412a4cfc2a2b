// Fuzz target: containers/storage record files (layers.json, images.json, containers.json
// and their volatile-* siblings), the container metadata inside them, and storage.conf.
#include <cstdint>
#include <string_view>

#include "ctl/engines/storage_conf.h"
#include "verifier/store/cstorage/graphroot.h"
#include "verifier/store/cstorage/image_names.h"
#include "verifier/store/cstorage/records.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace verified::cstorage;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto layers = ParseLayers(text, "fuzz");
  if (layers.ok() && !layers->empty()) {
    LayerIndex index;
    for (const auto& l : *layers) index.emplace(l.id, l);
    (void)LayerChain(index, layers->back().id);
  }
  auto images = ParseImages(text, "fuzz");
  if (images.ok()) {
    for (const auto& img : *images) {
      (void)NormalisedNames(img);
      (void)ManifestDigests(img);
      (void)BigDataFileName(img.id);
    }
  }
  auto containers = ParseContainers(text, "fuzz");
  if (containers.ok() && !containers->empty() && images.ok() && !images->empty()) {
    (void)DecideTypedName(nullptr, containers->front(), images->front(), {}, nullptr);
  }
  (void)verified::ctl::ParseStorageConf(text, "fuzz");
  return 0;
}
