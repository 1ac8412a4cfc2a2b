// Replay driver for fuzz targets when they are not built with libFuzzer.
//
// CTest runs each target over its seed corpus (tests/fuzz/corpus/<target>/) and over a fixed
// number of deterministic mutations of every seed (bit flips, truncations, byte insertions,
// splices), so every CI run exercises the parser on malformed input. Build with
// -DVERIFIED_LIBFUZZER=ON (clang) for real coverage-guided fuzzing of the same targets.
#include <dirent.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::string> ReadCorpus(const std::string& dir) {
  std::vector<std::string> seeds;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return seeds;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::ifstream f(dir + "/" + name, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    seeds.push_back(ss.str());
  }
  closedir(d);
  return seeds;
}

void Run(const std::string& s) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string Mutate(const std::string& in, const std::vector<std::string>& seeds,
                   std::mt19937_64& rng) {
  std::string s = in;
  int ops = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < ops; ++i) {
    switch (rng() % 6) {
      case 0:  // flip a bit
        if (!s.empty()) s[rng() % s.size()] ^= static_cast<char>(1u << (rng() % 8));
        break;
      case 1:  // truncate
        if (!s.empty()) s.resize(rng() % s.size());
        break;
      case 2:  // insert an interesting byte
      {
        static const char kBytes[] = {'\0', '"', '\\', '{', '[',  ']',    '}', ':',
                                      ',',  '/', '.',  '-', '\n', '\xff', '9'};
        s.insert(s.begin() + static_cast<long>(s.empty() ? 0 : rng() % s.size()),
                 kBytes[rng() % sizeof(kBytes)]);
        break;
      }
      case 3:  // duplicate a chunk
        if (!s.empty()) {
          size_t a = rng() % s.size(), n = 1 + rng() % std::min<size_t>(64, s.size() - a);
          s.insert(a, s.substr(a, n));
        }
        break;
      case 4:  // splice with another seed
        if (!seeds.empty()) {
          const std::string& o = seeds[rng() % seeds.size()];
          if (!o.empty() && !s.empty())
            s = s.substr(0, rng() % s.size()) + o.substr(rng() % o.size());
        }
        break;
      default:  // replace a byte with a random one
        if (!s.empty()) s[rng() % s.size()] = static_cast<char>(rng());
        break;
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s CORPUS_DIR [MUTATIONS_PER_SEED]\n", argv[0]);
    return 2;
  }
  auto seeds = ReadCorpus(argv[1]);
  if (seeds.empty()) {
    fprintf(stderr, "no seeds in %s\n", argv[1]);
    return 1;
  }
  long rounds = argc > 2 ? strtol(argv[2], nullptr, 10) : 500;
  std::mt19937_64 rng(0x5eed);
  size_t runs = 0;
  for (const auto& s : seeds) {
    Run(s);
    ++runs;
    for (long i = 0; i < rounds; ++i) {
      Run(Mutate(s, seeds, rng));
      ++runs;
    }
  }
  printf("%zu inputs (%zu seeds) ran without a crash\n", runs, seeds.size());
  return 0;
}
