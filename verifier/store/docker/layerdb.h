// Docker's layer database: <data-root>/image/overlay2/layerdb.
//
//   layerdb/sha256/<chainID>/{diff,parent,cache-id,size,tar-split.json.gz}
//   layerdb/mounts/<container-id>/{mount-id,init-id,parent}
// Files hold bare values with no trailing newline (moby layer/filestore.go).
#pragma once

#include <string>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/fs/dir.h"
#include "verifier/store/resolved_image.h"

namespace verified::docker {

/// A container's read-write layer record.
struct MountRecord {
  std::string mount_id;  ///< overlay2 directory of the container layer
  std::string init_id;   ///< overlay2 directory of the init layer ("<mount-id>-init")
  std::string parent;    ///< top chainID of the image ("" for an image with no layers)
};

/// Reads layerdb/mounts/<container_id>. `layerdb` is the opened layerdb directory.
Result<MountRecord> ReadMountRecord(const Dir& layerdb, const std::string& container_id);

/// Walks the image's chain: for each chainID checks layerdb/sha256/<chain>/diff equals the
/// image's diffID and parent equals the previous chainID, and fills one LayerLocation each
/// (cache-id, overlay2 diff dir, tar-split path). `overlay2_dir` is <data-root>/overlay2.
Result<std::vector<LayerLocation>> ReadLayerChain(const Dir& layerdb,
                                                  const std::string& overlay2_dir,
                                                  const std::vector<std::string>& diff_ids,
                                                  const std::vector<std::string>& chain_ids);

/// True for a graphdriver id (cache-id, mount-id): 64 lowercase hex, optionally "-init", or a
/// BuildKit snapshot id (see IsBuildKitId): layers of images BuildKit built keep the id of the
/// snapshot they were made in as their cache-id.
bool IsGraphId(std::string_view id);

/// True for an id BuildKit makes (moby/buildkit identity.NewID): 25 lowercase base-36
/// characters. Used for executor directories and graphdriver dirs of BuildKit snapshots.
bool IsBuildKitId(std::string_view id);

}  // namespace verified::docker
