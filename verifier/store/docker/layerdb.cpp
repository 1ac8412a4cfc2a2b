#include "verifier/store/docker/layerdb.h"

#include "verifier/image/digest.h"
#include "verifier/store/docker/limits.h"

namespace verified::docker {

bool IsBuildKitId(std::string_view id) {
  // identity.NewID: 17 random bytes (top bit set) printed in base 36, zero-padded to 25.
  if (id.size() != 25) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

bool IsGraphId(std::string_view id) {
  if (id.size() == 69 && id.substr(64) == "-init") id = id.substr(0, 64);
  // moby builder-next/adapters/snapshot names graphdriver dirs after BuildKit's snapshot ids,
  // and exporting the build registers those dirs as the image's layers (cache-id) unchanged.
  return IsHex64(id) || IsBuildKitId(id);
}

Result<MountRecord> ReadMountRecord(const Dir& layerdb, const std::string& container_id) {
  std::string base = "mounts/" + container_id + "/";
  MountRecord rec;
  VERIFIED_ASSIGN_OR_RETURN(rec.mount_id, layerdb.ReadFile(base + "mount-id", kMaxIdFileBytes));
  if (!IsGraphId(rec.mount_id)) {
    return MakeError(ErrorKind::kParse, "layerdb {}mount-id is not a graphdriver id", base);
  }
  VERIFIED_ASSIGN_OR_RETURN(bool has_init, layerdb.Exists(base + "init-id"));
  if (has_init) {
    VERIFIED_ASSIGN_OR_RETURN(rec.init_id, layerdb.ReadFile(base + "init-id", kMaxIdFileBytes));
    if (!IsGraphId(rec.init_id)) {
      return MakeError(ErrorKind::kParse, "layerdb {}init-id is not a graphdriver id", base);
    }
  }
  VERIFIED_ASSIGN_OR_RETURN(bool has_parent, layerdb.Exists(base + "parent"));
  if (has_parent) {
    VERIFIED_ASSIGN_OR_RETURN(std::string parent,
                              layerdb.ReadFile(base + "parent", kMaxIdFileBytes));
    VERIFIED_ASSIGN_OR_RETURN(rec.parent, ParseDigest(parent, "layerdb " + base + "parent"));
  }
  return rec;
}

Result<std::vector<LayerLocation>> ReadLayerChain(const Dir& layerdb,
                                                  const std::string& overlay2_dir,
                                                  const std::vector<std::string>& diff_ids,
                                                  const std::vector<std::string>& chain_ids) {
  std::vector<LayerLocation> layers;
  for (size_t i = 0; i < chain_ids.size(); ++i) {
    std::string base = "sha256/" + std::string(DigestHex(chain_ids[i])) + "/";
    std::string what = "layer " + chain_ids[i];
    VERIFIED_ASSIGN_OR_WRAP(std::string diff, layerdb.ReadFile(base + "diff", kMaxIdFileBytes),
                            "{}", what);
    if (diff != diff_ids[i]) {
      return MakeError(ErrorKind::kInconsistent,
                       "{}: layerdb diff is {} but the image config says {}", what, diff,
                       diff_ids[i]);
    }
    VERIFIED_ASSIGN_OR_RETURN(bool has_parent, layerdb.Exists(base + "parent"));
    std::string parent;
    if (has_parent) {
      VERIFIED_ASSIGN_OR_WRAP(parent, layerdb.ReadFile(base + "parent", kMaxIdFileBytes), "{}",
                              what);
    }
    std::string expected_parent = i == 0 ? std::string() : chain_ids[i - 1];
    if (parent != expected_parent) {
      return MakeError(ErrorKind::kInconsistent, "{}: layerdb parent is '{}', expected '{}'", what,
                       parent, expected_parent);
    }
    VERIFIED_ASSIGN_OR_WRAP(std::string cache_id,
                            layerdb.ReadFile(base + "cache-id", kMaxIdFileBytes), "{}", what);
    if (!IsGraphId(cache_id)) {
      return MakeError(ErrorKind::kParse, "{}: cache-id is not a graphdriver id", what);
    }
    LayerLocation loc;
    loc.diff_id = diff_ids[i];
    loc.chain_id = chain_ids[i];
    loc.layer_id = cache_id;
    loc.diff_dir = overlay2_dir + "/" + cache_id + "/diff";
    loc.tar_split = layerdb.path() + "/" + base + "tar-split.json.gz";
    layers.push_back(std::move(loc));
  }
  return layers;
}

}  // namespace verified::docker
