// Fuzz target: a Docker overlay2 image store as the runtime reads it at create
// (verifier/store/docker/overlay2_store.h LoadDockerImage, layerdb.h ReadMountRecord): the
// imagedb config, repositories.json and every layerdb file (diff, parent, cache-id, mount-id,
// init-id), read through Dir from a data root the harness writes under $TMPDIR.
//
// Input: fields separated by '\0', each a file's bytes; a field that is missing leaves its file
// absent (an empty field is an empty file):
//   0  the image config, stored as imagedb/content/sha256/<its sha256> (so its digest matches
//      and the reader goes past it to the layer chain)
//   1  repositories.json
//   2  layerdb/mounts/<cid>/mount-id, 3 init-id, 4 parent
//   5+ per layer i of the config's rootfs.diff_ids: diff, parent, cache-id, in
//      layerdb/sha256/<chainID i>/ (the harness computes the chain IDs the fuzzer could not)
// Properties: an image that loads has one layer per diffID, each with a graphdriver cache-id
// and the diffID and chainID the config implies; a mount record that loads has graphdriver ids.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"
#include "verifier/image/image_config.h"
#include "verifier/store/docker/layerdb.h"
#include "verifier/store/docker/overlay2_store.h"

namespace {

namespace fs = std::filesystem;

// More layers than this are not written out (each costs three files per input).
constexpr size_t kMaxChain = 32;
constexpr const char* kCid = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// The scratch data root, made once and removed at exit.
const std::string& Root() {
  static const std::string* root = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                        "/verified-docker-layerdb-fuzz.XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) std::abort();
    auto* r = new std::string(templ);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(Root(), ec);
    });
    return r;
  }();
  return *root;
}

void Put(const fs::path& p, const std::string& data) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << data;
}

std::vector<std::string> Fields(const uint8_t* data, size_t size) {
  std::vector<std::string> out;
  std::string in(reinterpret_cast<const char*>(data), size);
  size_t pos = 0;
  while (true) {
    size_t end = in.find('\0', pos);
    out.push_back(in.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace verified;
  std::vector<std::string> f = Fields(data, size);
  const std::string data_root = Root() + "/d";
  std::error_code ec;
  fs::remove_all(data_root, ec);
  const std::string img = data_root + "/image/overlay2";
  fs::create_directories(img + "/layerdb");
  fs::create_directories(data_root + "/overlay2");

  const std::string image_id = Sha256Digest(f[0]);
  Put(img + "/imagedb/content/sha256/" + std::string(DigestHex(image_id)), f[0]);
  if (f.size() > 1) Put(img + "/repositories.json", f[1]);
  const std::string mounts = img + "/layerdb/mounts/" + kCid + "/";
  const char* mount_files[] = {"mount-id", "init-id", "parent"};
  for (size_t i = 0; i < 3 && 2 + i < f.size(); ++i) Put(mounts + mount_files[i], f[2 + i]);

  std::vector<std::string> diff_ids;
  auto cfg = ParseImageConfig(f[0], "fuzz");
  if (cfg.ok() && cfg->diff_ids.size() <= kMaxChain) diff_ids = cfg->diff_ids;
  const std::vector<std::string> chain_ids = ChainIds(diff_ids);
  const char* layer_files[] = {"diff", "parent", "cache-id"};
  for (size_t i = 0; i < chain_ids.size(); ++i) {
    std::string dir = img + "/layerdb/sha256/" + std::string(DigestHex(chain_ids[i])) + "/";
    for (size_t k = 0; k < 3 && 5 + 3 * i + k < f.size(); ++k) {
      Put(dir + layer_files[k], f[5 + 3 * i + k]);
    }
  }

  auto loaded = LoadDockerImage(data_root, image_id);
  if (loaded.ok()) {
    if (loaded->image_id != image_id || loaded->layers.size() != diff_ids.size()) {
      __builtin_trap();
    }
    for (size_t i = 0; i < loaded->layers.size(); ++i) {
      const auto& l = loaded->layers[i];
      if (l.diff_id != diff_ids[i] || l.chain_id != chain_ids[i] ||
          !docker::IsGraphId(l.layer_id)) {
        __builtin_trap();
      }
    }
  }
  auto layerdb = Dir::Open(img + "/layerdb");
  if (!layerdb.ok()) std::abort();
  auto rec = docker::ReadMountRecord(*layerdb, kCid);
  if (rec.ok() && (!docker::IsGraphId(rec->mount_id) ||
                   (!rec->init_id.empty() && !docker::IsGraphId(rec->init_id)) ||
                   (!rec->parent.empty() && !IsSha256Digest(rec->parent)))) {
    __builtin_trap();
  }
  return 0;
}
