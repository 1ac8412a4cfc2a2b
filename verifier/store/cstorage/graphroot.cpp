#include "verifier/store/cstorage/graphroot.h"

#include <sys/stat.h>

#include <algorithm>
#include <set>

#include "verifier/image/digest.h"
#include "verifier/image/image_config.h"
#include "verifier/image/reference.h"
#include "verifier/store/cstorage/limits.h"

namespace verified::cstorage {
namespace {

std::string Base64(std::string_view in) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8) |
                 uint32_t(uint8_t(in[i + 2]));
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  size_t rest = in.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t(uint8_t(in[i])) << 16;
    if (rest == 2) v |= uint32_t(uint8_t(in[i + 1])) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Reads an optional record file: absent means no records (a fresh store has no
// volatile-*.json, a store that never ran a container has no containers.json).
Result<std::string> ReadOptional(const Dir& root, const std::string& rel) {
  auto text = root.ReadFile(rel, kMaxRecordsFileBytes);
  if (!text.ok() && text.error().kind() == ErrorKind::kNotFound) return std::string();
  return text;
}

Status RequireDir(const Dir& root, const std::string& rel, std::string_view what) {
  VERIFIED_ASSIGN_OR_WRAP(struct stat st, root.Lstat(rel), "{}", what);
  if (!S_ISDIR(st.st_mode)) {
    return MakeError(ErrorKind::kInconsistent, "{}: {} is not a directory", what, rel);
  }
  return Ok();
}

}  // namespace

std::string BigDataFileName(std::string_view key) {
  // containers/storage store.go makeBigDataBaseName: keys made only of [0-9a-z.] are used
  // as they are, anything else (the config key "sha256:<hex>" has a ':') is base64'd.
  bool plain = std::all_of(key.begin(), key.end(), [](char c) {
    return c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
  });
  return plain ? std::string(key) : "=" + Base64(key);
}

Result<GraphRoot> GraphRoot::Open(const std::string& path) {
  VERIFIED_ASSIGN_OR_RETURN(Dir dir, Dir::Open(path));
  VERIFIED_ASSIGN_OR_RETURN(bool has_layers, dir.Exists("overlay-layers"));
  if (!has_layers) {
    return MakeError(ErrorKind::kNotFound,
                     "{} is not a containers/storage overlay graph root (no overlay-layers)", path);
  }
  return GraphRoot(std::move(dir));
}

Result<std::vector<ContainerRecord>> GraphRoot::Containers() const {
  std::vector<ContainerRecord> all;
  std::set<std::string> ids;
  for (const char* file :
       {"overlay-containers/containers.json", "overlay-containers/volatile-containers.json"}) {
    VERIFIED_ASSIGN_OR_RETURN(std::string text, ReadOptional(dir_, file));
    VERIFIED_ASSIGN_OR_RETURN(std::vector<ContainerRecord> recs, ParseContainers(text, file));
    for (auto& r : recs) {
      if (!ids.insert(r.id).second) {
        return MakeError(ErrorKind::kInconsistent, "container {} is listed in two record files",
                         r.id);
      }
      all.push_back(std::move(r));
    }
  }
  return all;
}

Result<std::vector<ImageRecord>> GraphRoot::Images() const {
  VERIFIED_ASSIGN_OR_RETURN(std::string text, ReadOptional(dir_, "overlay-images/images.json"));
  return ParseImages(text, "overlay-images/images.json");
}

Result<LayerIndex> GraphRoot::Layers() const {
  LayerIndex index;
  for (const char* file : {"overlay-layers/layers.json", "overlay-layers/volatile-layers.json"}) {
    VERIFIED_ASSIGN_OR_RETURN(std::string text, ReadOptional(dir_, file));
    VERIFIED_ASSIGN_OR_RETURN(std::vector<LayerRecord> recs, ParseLayers(text, file));
    for (auto& r : recs) {
      std::string id = r.id;
      if (!index.emplace(id, std::move(r)).second) {
        return MakeError(ErrorKind::kInconsistent, "layer {} is listed in two record files", id);
      }
    }
  }
  return index;
}

Result<std::vector<std::string>> LayerChain(const LayerIndex& layers, const std::string& top) {
  std::vector<std::string> chain;
  std::string id = top;
  while (!id.empty()) {
    if (chain.size() >= kMaxLayers) {
      return MakeError(ErrorKind::kTooLarge,
                       "layer chain from {} is longer than {} layers (or has a cycle)", top,
                       kMaxLayers);
    }
    auto it = layers.find(id);
    if (it == layers.end()) {
      return MakeError(ErrorKind::kInconsistent, "layer {} is not in layers.json", id);
    }
    const LayerRecord& l = it->second;
    if (!IsStorageId(l.id)) {
      return MakeError(ErrorKind::kUnsupported, "layer id '{}' is not 64 hex characters", l.id);
    }
    if (l.incomplete) {
      return MakeError(ErrorKind::kInconsistent,
                       "layer {} is flagged incomplete (an interrupted pull or commit)", id);
    }
    if (l.id_mapped) {
      return MakeError(ErrorKind::kUnsupported,
                       "layer {} is an ID-mapped copy (userns); not supported", id);
    }
    if (std::find(chain.begin(), chain.end(), id) != chain.end()) {
      return MakeError(ErrorKind::kInconsistent, "layer chain from {} has a cycle at {}", top, id);
    }
    chain.push_back(id);
    id = l.parent;
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

Result<std::vector<std::string>> NormalisedNames(const ImageRecord& image) {
  std::vector<std::string> names;
  for (const auto& n : image.names) {
    auto ref = ParseReference(n);
    if (!ref.ok())
      return Wrap(std::move(ref).error(), "image {} has a name that is invalid", image.id);
    names.push_back(ref->String());
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::vector<std::string> ManifestDigests(const ImageRecord& image) {
  std::vector<std::string> out;
  if (IsSha256Digest(image.digest)) out.push_back(image.digest);
  const std::string prefix = "manifest-";
  for (const auto& key : image.big_data_names) {
    if (key.rfind(prefix, 0) != 0) continue;
    std::string d = key.substr(prefix.size());
    if (IsSha256Digest(d) && std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
  }
  return out;
}

std::vector<ManifestFile> ManifestFiles(const ImageRecord& image, const std::string& graphroot,
                                        std::vector<std::string>& notes) {
  std::vector<ManifestFile> out;
  auto add = [&](const std::string& key, const std::string& key_digest) {
    auto d = image.big_data_digests.find(key);
    std::string digest = d == image.big_data_digests.end() ? std::string() : d->second;
    if (!IsSha256Digest(digest) || (!key_digest.empty() && digest != key_digest)) {
      notes.push_back(
          fmt::format("image {}: big-data item {} has recorded digest '{}': not used "
                      "as a manifest",
                      image.id, key, digest));
      return;
    }
    for (const auto& f : out) {
      if (f.digest == digest) return;  // "manifest" duplicates its manifest-<digest> item
    }
    out.push_back(ManifestFile{
        digest, graphroot + "/overlay-images/" + image.id + "/" + BigDataFileName(key)});
  };
  const std::string prefix = "manifest-";
  for (const auto& key : image.big_data_names) {
    if (key.rfind(prefix, 0) == 0) add(key, key.substr(prefix.size()));
  }
  for (const auto& key : image.big_data_names) {
    if (key == "manifest") add(key, "");
  }
  return out;
}

Result<ResolvedImage> GraphRoot::LoadImage(const ImageRecord& image,
                                           const LayerIndex& layers) const {
  if (!IsStorageId(image.id)) {
    return MakeError(ErrorKind::kUnsupported, "image id '{}' is not 64 hex characters", image.id);
  }
  ResolvedImage img;
  img.engine = kEngineName;
  img.store_root = path();
  img.image_id = "sha256:" + image.id;
  // c/image stores the config under its digest; for OCI and schema2 images the image id is
  // that digest's hex, so the bytes must hash to the id itself.
  std::string key = img.image_id;
  if (std::find(image.big_data_names.begin(), image.big_data_names.end(), key) ==
      image.big_data_names.end()) {
    return MakeError(ErrorKind::kUnsupported,
                     "image {} has no config stored under its id (schema1 image, or an id that "
                     "is not its config digest); re-pull or rebuild it",
                     image.id);
  }
  if (auto d = image.big_data_digests.find(key);
      d != image.big_data_digests.end() && d->second != key) {
    return MakeError(ErrorKind::kInconsistent, "image {}: images.json says its config digest is {}",
                     image.id, d->second);
  }
  std::string rel = "overlay-images/" + image.id + "/" + BigDataFileName(key);
  VERIFIED_ASSIGN_OR_WRAP(std::string text, dir_.ReadFile(rel, kMaxImageConfigBytes),
                          "image {} config", image.id);
  VERIFIED_RETURN_IF_ERROR(CheckDigest(text, img.image_id, "config of image " + image.id));
  VERIFIED_ASSIGN_OR_RETURN(ImageConfig cfg, ParseImageConfig(text, "config of image " + image.id));
  img.config = std::move(cfg.doc);
  img.diff_ids = std::move(cfg.diff_ids);
  img.chain_ids = ChainIds(img.diff_ids);

  VERIFIED_ASSIGN_OR_WRAP(std::vector<std::string> chain, LayerChain(layers, image.top_layer),
                          "image {}", image.id);
  if (chain.size() != img.diff_ids.size()) {
    return MakeError(ErrorKind::kInconsistent,
                     "image {}: storage chains {} layers below its top layer, the config lists {}",
                     image.id, chain.size(), img.diff_ids.size());
  }
  for (size_t i = 0; i < chain.size(); ++i) {
    const LayerRecord& l = layers.at(chain[i]);
    if (l.diff_digest != img.diff_ids[i]) {
      return MakeError(ErrorKind::kInconsistent,
                       "image {}: layer {} ({} from the bottom) has diff-digest '{}' but the "
                       "config's diff_id is {}",
                       image.id, l.id, i + 1, l.diff_digest, img.diff_ids[i]);
    }
    VERIFIED_RETURN_IF_ERROR(RequireDir(dir_, "overlay/" + l.id + "/diff", "layer " + l.id));
    LayerLocation loc;
    loc.diff_id = img.diff_ids[i];
    loc.chain_id = img.chain_ids[i];
    loc.layer_id = l.id;
    loc.diff_dir = path() + "/overlay/" + l.id + "/diff";
    std::string ts = "overlay-layers/" + l.id + ".tar-split.gz";
    VERIFIED_ASSIGN_OR_RETURN(bool has_ts, dir_.Exists(ts));
    if (has_ts) loc.tar_split = path() + "/" + ts;
    img.layers.push_back(std::move(loc));
  }
  VERIFIED_ASSIGN_OR_RETURN(img.names, NormalisedNames(image));
  img.manifest_files = ManifestFiles(image, path(), img.notes);
  img.notes.push_back("image config hashed: sha256 matches the image id");
  img.notes.push_back(
      "layer chain walked in layers.json: parent links and diff-digest of every layer");
  return img;
}

}  // namespace verified::cstorage
