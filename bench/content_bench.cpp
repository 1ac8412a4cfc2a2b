// content_bench: how fast the bytes on disk are verified, against the machine's limit and the
// naive way, on one image in one run.
//
//   content_bench --data-root DIR --image sha256:ID [--docker-host unix://...] [--runs N]
//
// Measures on the same (page-cached) layers:
//   (a) `full` verification (verifier/content: tar-split reassembly + tree walk, all cores)
//   (b) the machine's limit: online cores x single-core `openssl speed -evp sha256`
//   (c) the naive way: `docker save IMAGE | sha256sum`
//   (d) `cached` verification (fingerprints; after one recording run)
//   (e) the floor of any file-based check: open + read + SHA-256 of the same files, nothing
//       verified, one layer per thread on all cores (what (a) would cost with zero overhead)
// and prints medians, ratios, peak RSS of each mode (measured in a forked child) and the
// machine (nproc, CPU model). bench/content_bench.sh builds a suitable image and runs this.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "verifier/content/content_verify.h"
#include "verifier/crypto/sha256.h"
#include "verifier/store/docker/overlay2_store.h"

namespace {

using verified::bench::Median;

using namespace verified;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a) {
  return std::chrono::duration<double, std::milli>(Clock::now() - a).count();
}

// Runs `cmd` with bash -o pipefail (a pipeline fails when any of its commands does); its
// output, or nullopt when it could not run or exited non-zero.
std::optional<std::string> Run(const std::string& cmd) {
  std::string out;
  std::string quoted = "'";
  for (char c : cmd) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  quoted += "'";
  FILE* p = popen(("bash -o pipefail -c " + quoted).c_str(), "r");
  if (p == nullptr) return std::nullopt;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  int status = pclose(p);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return out;
}

// Ends the benchmark: a number computed from a failed run (or an unparsed one) would read as a
// measurement ("inf %" reads as a target met).
// The config dir the benchmark made for itself (removed on every exit), "" when given one.
std::string g_own_cfg;

void RemoveOwnCfg() {
  std::error_code ec;
  if (!g_own_cfg.empty()) std::filesystem::remove_all(g_own_cfg, ec);
}

[[noreturn]] void Die(const std::string& why) {
  fprintf(stderr, "content_bench: FAILED: %s\n", why.c_str());
  RemoveOwnCfg();
  exit(1);
}

// Single-core SHA-256 throughput in bytes/s from `openssl speed -evp sha256` (16 KiB blocks).
// With `elapsed`, wall-clock time instead of CPU time: what one core delivered under the
// machine's current load.
// Exits (Die) when openssl fails or its output has no positive sha256 figure.
double OpensslSpeed(bool elapsed = false) {
  std::string cmd = std::string("openssl speed ") + (elapsed ? "-elapsed " : "") +
                    "-evp sha256 -bytes 16384 -seconds 3 2>/dev/null";
  auto out = Run(cmd);
  if (!out) Die("`" + cmd + "` failed");
  std::istringstream in(*out);
  std::string line;
  double kbps = 0;
  while (std::getline(in, line)) {
    if (line.rfind("sha256", 0) == 0 || line.rfind("SHA256", 0) == 0) {
      std::istringstream ls(line);
      std::string name, value;
      ls >> name >> value;  // "sha256  1734586.68k"
      kbps = atof(value.c_str());
    }
  }
  if (!(kbps > 0) || !std::isfinite(kbps)) {
    Die("no sha256 throughput in the output of `" + cmd + "`: " + *out);
  }
  return kbps * 1000.0;
}

struct Measured {
  double ms = 0;
  double cpu_ms = 0;  // user + system time of all threads
  content::ContentReport report;
};

double CpuMs() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

// One verification, timed. Exits (Die) when it does not verify: a failed run is no measurement.
Measured Verify(const ResolvedImage& img, content::ContentMode mode, const std::string& cfg) {
  content::ContentOptions opt;
  opt.mode = mode;
  opt.config_dir = cfg;
  double cpu = CpuMs();
  auto t = Clock::now();
  Measured m;
  m.report = content::VerifyImageContent(img, opt);
  m.ms = Ms(t);
  m.cpu_ms = CpuMs() - cpu;
  if (!m.report.ok) {
    Die(std::string(mode == content::ContentMode::kCached ? "cached" : "full") +
        " verification failed: " + m.report.Summary(img.diff_ids.size()));
  }
  return m;
}

// (e): every regular file of every layer, listed beforehand (not timed), then opened, read and
// hashed, one layer per thread, as fast as the kernel and SHA-256 allow.
struct Floor {
  std::vector<std::vector<std::string>> files;  // per layer
  uint64_t bytes = 0;
};

Floor ListFiles(const ResolvedImage& img) {
  Floor f;
  for (const auto& l : img.layers) {
    f.files.emplace_back();
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(l.diff_dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && !it->is_symlink(ec)) f.files.back().push_back(it->path());
    }
  }
  return f;
}

// Exits (Die) when a listed file cannot be opened or read.
double FloorMs(Floor& f, unsigned cores) {
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> total{0};
  std::atomic<size_t> failed{0};
  auto work = [&] {
    std::vector<char> buf(256u << 10);
    for (size_t l; (l = next++) < f.files.size();) {
      Sha256 h;
      for (const auto& p : f.files[l]) {
        int fd = open(p.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
          ++failed;
          continue;
        }
        ssize_t n;
        while ((n = read(fd, buf.data(), buf.size())) > 0) {
          h.Update(buf.data(), static_cast<size_t>(n));
          total += static_cast<uint64_t>(n);
        }
        if (n < 0) ++failed;
        close(fd);
      }
      (void)h.FinalHex();
    }
  };
  auto t = Clock::now();
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < cores; ++i) threads.emplace_back(work);
  work();
  for (auto& th : threads) th.join();
  double ms = Ms(t);
  if (failed > 0) Die(std::to_string(failed.load()) + " files of the floor run could not be read");
  f.bytes = total;
  return ms;
}

// Peak RSS (KiB) of one verification run in a fresh child process. Exits (Die) when the child
// does not verify the image.
long PeakRss(const ResolvedImage& img, content::ContentMode mode, const std::string& cfg) {
  pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    content::ContentOptions opt;
    opt.mode = mode;
    opt.config_dir = cfg;
    _exit(content::VerifyImageContent(img, opt).ok ? 0 : 1);
  }
  int status = 0;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    Die("the peak-RSS verification run (fresh process) failed");
  }
  return ru.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_root, image, docker_host, docker = "/usr/bin/docker", cfg, only;
  int runs = 7;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--data-root")
      data_root = v;
    else if (k == "--image")
      image = v;
    else if (k == "--docker-host")
      docker_host = v;
    else if (k == "--docker")
      docker = v;
    else if (k == "--runs")
      runs = atoi(v.c_str());
    else if (k == "--config-dir")
      cfg = v;
    else if (k == "--only")  // full|cached: that mode alone, in a loop (for perf record)
      only = v;
  }
  if (data_root.empty() || image.empty()) {
    fprintf(stderr,
            "usage: %s --data-root DIR --image sha256:ID [--docker-host H] [--runs N] [--only "
            "full|cached]\n",
            argv[0]);
    return 2;
  }
  if (runs < 1) {
    fprintf(stderr, "--runs must be at least 1\n");
    return 2;
  }
  if (cfg.empty()) {
    char tmpl[] = "/tmp/content-bench-cfg.XXXXXX";
    if (mkdtemp(tmpl) == nullptr) Die("cannot make a temporary config dir");
    cfg = g_own_cfg = tmpl;
  }
  // The content cache the cached runs write lives here; remove it when it is ours.
  struct Cleanup {
    ~Cleanup() { RemoveOwnCfg(); }
  } cleanup;
  auto img = LoadDockerImage(data_root, image);
  if (!img.ok()) {
    fprintf(stderr, "cannot load image: %s\n", img.error().What().c_str());
    return 1;
  }
  unsigned cores = std::thread::hardware_concurrency();
  printf("machine: %s\n", verified::bench::MachineDescription().c_str());

  // Warm the page cache and check the image verifies at all (Verify exits if not).
  auto warm = Verify(*img, content::ContentMode::kFull, cfg);
  if (!only.empty()) {
    auto mode = only == "cached" ? content::ContentMode::kCached : content::ContentMode::kFull;
    std::vector<double> t;
    for (int i = 0; i < runs; ++i) t.push_back(Verify(*img, mode, cfg).ms);
    printf("%s: median %.2f ms over %d runs\n", only.c_str(), Median(t), runs);
    return 0;
  }
  uint64_t bytes = warm.report.bytes;
  uint64_t files = warm.report.files;
  printf("image: %s, %zu layers, %.1f MB tar stream, %lu files read\n", image.c_str(),
         img->layers.size(), bytes / 1e6, static_cast<unsigned long>(files));

  std::vector<double> full, full_cpu;
  for (int i = 0; i < runs; ++i) {
    auto m = Verify(*img, content::ContentMode::kFull, cfg);
    full.push_back(m.ms);
    full_cpu.push_back(m.cpu_ms);
  }
  double speed = OpensslSpeed();
  double limit = speed * cores;
  // Two copies at once, wall clock: what both cores deliver to SHA-256 under the current load.
  std::thread other([] { (void)OpensslSpeed(true); });
  double loaded = OpensslSpeed(true);
  other.join();
  std::vector<double> naive;
  std::string env = docker_host.empty() ? "" : "DOCKER_HOST=" + docker_host + " ";
  for (int i = 0; i < std::max(3, runs / 2); ++i) {
    std::string cmd = env + docker + " save " + image + " | sha256sum > /dev/null";
    auto t = Clock::now();
    if (!Run(cmd)) Die("`" + cmd + "` failed");
    naive.push_back(Ms(t));
  }
  Floor floor = ListFiles(*img);
  std::vector<double> floor_ms;
  for (int i = 0; i < runs; ++i) floor_ms.push_back(FloorMs(floor, cores));
  auto rec = Verify(*img, content::ContentMode::kCached, cfg);  // records fingerprints
  usleep(200000);                                               // leave the racy window
  auto settle = Verify(*img, content::ContentMode::kCached, cfg);
  std::vector<double> cached, cached_cpu;
  size_t objects = 0;
  for (int i = 0; i < runs; ++i) {
    auto m = Verify(*img, content::ContentMode::kCached, cfg);
    objects = m.report.files;
    cached.push_back(m.ms);
    cached_cpu.push_back(m.cpu_ms);
  }
  long rss_full = PeakRss(*img, content::ContentMode::kFull, cfg);
  long rss_cached = PeakRss(*img, content::ContentMode::kCached, cfg);

  double full_ms = Median(full), naive_ms = Median(naive), cached_ms = Median(cached);
  double limit_ms = bytes / limit * 1000.0;
  printf("\n%-44s %10s %12s\n", "measure (median)", "time", "throughput");
  printf("%-44s %8.1f ms %9.2f GB/s\n", "(a) full verification", full_ms, bytes / full_ms / 1e6);
  printf("%-44s %8.1f ms %9.2f GB/s  (%.2f GB/s x %u cores)\n",
         "(b) machine limit: cores x openssl sha256", limit_ms, limit / 1e9, speed / 1e9, cores);
  printf("%-44s %8.1f ms %9.2f GB/s\n", "(c) naive: docker save | sha256sum", naive_ms,
         bytes / naive_ms / 1e6);
  printf("%-44s %8.2f ms  (%zu objects fingerprinted)\n", "(d) cached verification", cached_ms,
         objects);
  printf("%-44s %8.1f ms  (one-time recording run)\n", "    cached, first run", rec.ms);
  (void)settle;
  printf("%-44s %8.1f ms %9.2f GB/s  (openssl -elapsed, %u copies at once)\n",
         "(b') the same limit under the current load", bytes / (loaded * cores) * 1000.0,
         loaded * cores / 1e9, cores);
  double floor_med = Median(floor_ms);
  printf("%-44s %8.1f ms %9.2f GB/s  (%.1f MB of file data, no tar headers)\n",
         "(e) floor: open+read+sha256 of the files", floor_med, floor.bytes / floor_med / 1e6,
         floor.bytes / 1e6);
  printf("\nfull / limit:   %5.1f %%   (target >= 80 %%)\n", 100.0 * limit_ms / full_ms);
  printf("full / (b'):    %5.1f %%   (both measured under the same load)\n",
         100.0 * (bytes / (loaded * cores) * 1000.0) / full_ms);
  printf("floor / limit:  %5.1f %%   (the best any per-file check reaches on this machine)\n",
         100.0 * (floor.bytes / limit * 1000.0) / floor_med);
  printf("naive / full:   %5.1f x   (target >= 5 x)\n", naive_ms / full_ms);
  printf("cached:         %5.2f ms  (target <= 20 ms for >= 20,000 files)\n", cached_ms);
  printf("peak RSS:       full %ld KiB, cached %ld KiB (fresh process each)\n", rss_full,
         rss_cached);
  double full_cpu_ms = Median(full_cpu);
  printf(
      "CPU time:       full %.1f ms (%.2f GB/s per CPU-second = %.1f %% of one core's "
      "openssl speed), cached %.2f ms\n",
      full_cpu_ms, bytes / full_cpu_ms / 1e6, 100.0 * (bytes / full_cpu_ms * 1e3) / speed,
      Median(cached_cpu));
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) < 0) load[0] = -1;
  printf("runs: %d (full, cached), %zu (naive); load average %.2f\n", runs, naive.size(), load[0]);
  return 0;
}
