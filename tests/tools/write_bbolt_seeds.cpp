// write_bbolt_seeds DIR: writes the synthetic seeds of the bbolt fuzz target into DIR
// (tests/fuzz/corpus/bbolt). Small pages (512 bytes) keep the files small, so random mutations
// land on page headers, element arrays and bucket headers instead of padding. The
// real-containerd seeds come from tests/fixtures/containerd/make-fixtures.sh.
#include <cstdio>
#include <fstream>
#include <string>

#include "unit/verifier/store/containerd/bolt_writer.h"

namespace verified::testing {
namespace {

bool WriteFile(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << data;
  if (!f.flush()) {
    std::fprintf(stderr, "write_bbolt_seeds: cannot write %s\n", path.c_str());
    return false;
  }
  return true;
}

bool WriteSeeds(const std::string& dir) {
  BoltTree t;
  auto& snaps = t.Path({"v1", "default", "snapshots", "overlayfs"});
  snaps.Bucket("sha256:base").Put("name", "default/1/sha256:base");
  snaps.Bucket("c01").Put("name", "default/4/c01").Put("parent", "sha256:base");
  auto& c = t.Path({"v1", "default", "containers", "c01"});
  c.Put("image", "docker.io/library/app:1")
      .Put("snapshotter", "overlayfs")
      .Put("snapshotKey", "c01");
  c.Bucket("labels").Put("io.cri-containerd.kind", "container");
  c.Put("spec", std::string(1500, 's'));  // an overflow run at 512-byte pages
  auto& img = t.Path({"v1", "default", "images", "docker.io/library/app:1", "target"});
  img.Put("digest", "sha256:" + std::string(64, 'a')).Put("mediatype", "x").Put("size", "\x02");
  for (int i = 0; i < 40; ++i) {
    std::string lease = "l";  // appended: `"l" + to_string` trips GCC 12's PR105329 at -O3
    lease += std::to_string(i);
    t.Path({"v1", "default", "leases"}).Put(lease, "");
  }
  BoltLayout inline_small;
  inline_small.page_size = 512;
  inline_small.max_leaf_keys = 6;
  if (!WriteFile(dir + "/synthetic-meta-512", BoltWriter(inline_small).Build(t))) return false;
  BoltTree s;
  s.Path({"v1", "snapshots", "default/4/c01"})
      .Put("id", "\x04")
      .Put("kind", "\x02")
      .Put("parent", "default/1/sha256:base");
  s.Path({"v1", "snapshots", "default/1/sha256:base"}).Put("id", "\x01").Put("kind", "\x03");
  s.Path({"v1", "parents"});
  BoltLayout paged = inline_small;
  paged.allow_inline = false;
  return WriteFile(dir + "/synthetic-snapshots-512", BoltWriter(paged).Build(s));
}

}  // namespace
}  // namespace verified::testing

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_bbolt_seeds DIR\n");
    return 2;
  }
  return verified::testing::WriteSeeds(argv[1]) ? 0 : 1;
}
