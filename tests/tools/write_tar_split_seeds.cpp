// write_tar_split_seeds DIR: derives, from each real Docker tar-split seed `DIR/NAME` (mode
// 'j': JSON lines), one seed for every other mode of the tar_split fuzz target, so each of its
// entry points starts from valid input (tests/fuzz/tar_split_fuzz.cpp):
//   DIR/NAME.z  'z' + the lines gzipped, as Docker stores them (the streaming reader)
//   DIR/NAME.t  't' + the layer tar rebuilt from the segments, with content bytes in place of
//               each file entry (the inline, layer-blob parser); only up to 64 KiB
//   DIR/NAME.m  'm' + the manifest the content cache would write for that tree
//   DIR/NAME.f  'f' + a fingerprints record of that tree
// Seeds whose name has a '.' (derived ones) are skipped, so running it twice changes nothing.
#include <dirent.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "verifier/content/content_cache.h"
#include "verifier/content/layer_tree.h"
#include "verifier/content/tar_header.h"
#include "verifier/content/tar_split.h"

namespace verified::content {
namespace {

// The fuzz target decodes manifests against this diffID.
const std::string kDiffId = "sha256:" + std::string(64, 'a');
constexpr size_t kMaxInlineSeed = 64 * 1024;

bool WriteFile(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << data;
  if (!f.flush()) {
    std::fprintf(stderr, "write_tar_split_seeds: cannot write %s\n", path.c_str());
    return false;
  }
  return true;
}

std::string Gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// The tar the lines describe: segments verbatim, each file entry's content as `size` bytes.
bool RebuildTar(const std::string& lines, std::string& tar) {
  std::istringstream in(lines);
  std::string line;
  TarSplitEntry e;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (!ParseTarSplitLine(line, e).ok()) return false;
    if (e.type == TarSplitEntry::kSegment) {
      tar += e.payload;
    } else {
      tar.append(static_cast<size_t>(e.size), 'c');
    }
  }
  return true;
}

bool DeriveSeeds(const std::string& dir, const std::string& name) {
  std::ifstream f(dir + "/" + name, std::ios::binary);
  std::string seed((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (seed.empty() || seed[0] != 'j') return true;  // not a lines seed: nothing to derive
  const std::string lines = seed.substr(1);
  std::string tar;
  if (!RebuildTar(lines, tar)) {
    std::fprintf(stderr, "write_tar_split_seeds: %s does not parse\n", name.c_str());
    return false;
  }
  ExpectedTreeBuilder builder;
  TarStreamParser parser([&](const TarEntry& e) { return builder.Add(e); }, true);
  Status st = parser.Feed(tar.data(), tar.size());
  if (st.ok()) st = parser.Finish();
  auto tree = std::move(builder).Finish();
  if (!st.ok() || !tree.ok()) {
    std::fprintf(stderr, "write_tar_split_seeds: %s: the rebuilt tar does not parse\n",
                 name.c_str());
    return false;
  }
  FingerprintRecord rec;
  rec.diff_id = kDiffId;
  rec.diff_dir = "/var/lib/docker/overlay2/x/diff";
  rec.source = "/var/lib/docker/image/overlay2/layerdb/sha256/x/tar-split.json.gz";
  rec.manifest_digest = std::string(64, 'b');
  FingerprintGroup root{"", {}, {}};
  for (auto& n : tree->nodes) {
    if (n.type == NodeType::kRegular) n.content_sha256 = std::string(64, 'c');
    if (n.path.find('/') == std::string::npos) root.entries.push_back({n.path, {}});
  }
  rec.fps.groups.push_back(root);
  rec.fps.count = root.entries.size();
  const std::string gz = Gzip(lines), manifest = EncodeManifest(kDiffId, *tree),
                    fps = EncodeFingerprints(rec);
  // Each seed must get past its decoder, or the mode's deeper code stays unreached.
  auto reader = TarSplitReader::FromMemory(gz, name);
  TarSplitEntry first;
  if (!reader.ok() || !(*reader)->Next(first).ok() || !DecodeManifest(manifest, kDiffId).ok() ||
      !DecodeFingerprints(fps).ok()) {
    std::fprintf(stderr, "write_tar_split_seeds: %s: a derived seed does not decode\n",
                 name.c_str());
    return false;
  }
  const std::string base = dir + "/" + name;
  // A big layer (busybox: 2 MB of content) would slow every mutation round: its other modes
  // are enough, the small layers give 't' its seeds.
  if (tar.size() <= kMaxInlineSeed && !WriteFile(base + ".t", "t" + tar)) return false;
  return WriteFile(base + ".z", "z" + gz) && WriteFile(base + ".m", "m" + manifest) &&
         WriteFile(base + ".f", "f" + fps);
}

}  // namespace
}  // namespace verified::content

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_tar_split_seeds DIR (tests/fuzz/corpus/tar_split)\n");
    return 2;
  }
  DIR* d = opendir(argv[1]);
  if (d == nullptr) {
    std::perror(argv[1]);
    return 1;
  }
  std::vector<std::string> names;
  while (dirent* ent = readdir(d)) {
    std::string n = ent->d_name;
    if (n.find('.') == std::string::npos) names.push_back(n);
  }
  closedir(d);
  for (const auto& n : names) {
    if (!verified::content::DeriveSeeds(argv[1], n)) return 1;
  }
  return names.empty() ? 1 : 0;
}
