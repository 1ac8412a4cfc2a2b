// Benchmark: what the no_shell and sealed requirements cost on a real directory tree used as a
// one-layer image (default /usr): merging the layer, finding shells (names + ELF contents) and
// computing the sealed image's protected directories. Prints medians of N warm runs and the
// machine it ran on.
//
//   content_scan_bench [DIR] [RUNS]
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "verifier/checks/sealed_image.h"
#include "verifier/content/merged_tree.h"
#include "verifier/content/shell_scan.h"

namespace {

using verified::bench::Median;

template <typename F>
double TimeMs(F&& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace verified;
  std::string dir = argc > 1 ? argv[1] : "/usr";
  int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  LayerLocation layer;
  layer.diff_dir = dir;
  std::vector<double> merge, shells, dirs;
  size_t files = 0, hits = 0, protected_dirs = 0;
  for (int i = 0; i < runs + 1; ++i) {  // the first run warms the page cache
    Result<MergedTree> tree = MergedTree::Build({});
    double m = TimeMs([&] { tree = MergedTree::Build({layer}); });
    if (!tree.ok()) {
      fmt::print(stderr, "{}\n", tree.error().What());
      return 1;
    }
    Result<std::vector<ShellHit>> found = std::vector<ShellHit>{};
    double s = TimeMs([&] { found = FindShells(*tree, {}); });
    if (!found.ok()) {
      fmt::print(stderr, "{}\n", found.error().What());
      return 1;
    }
    ResolvedImage img;
    Result<ImageIntent> intent = ImageIntent{};
    double d = TimeMs([&] { intent = ReadImageIntent(img, *tree, *ParseSealedOptions(true)); });
    if (i == 0) continue;
    merge.push_back(m);
    shells.push_back(s);
    dirs.push_back(d);
    files = tree->entries().size();
    hits = found->size();
    protected_dirs = intent.ok() ? intent->protected_dirs.size() : 0;
  }
  fmt::print("machine: {}\n", verified::bench::MachineDescription());
  fmt::print("tree {}: {} files and symlinks, {} shells found, {} protected dirs\n", dir, files,
             hits, protected_dirs);
  fmt::print(
      "median of {} warm runs: merge {:.1f} ms, no_shell scan {:.1f} ms, sealed "
      "protected dirs {:.1f} ms\n",
      runs, Median(merge), Median(shells), Median(dirs));
  return 0;
}
