// exec_timer: medians of two commands' wall time, measured in the same run, alternating so
// drift hits both equally. Used by the engine create benchmarks (e.g. bare runc create vs
// verified-runtime create on the same bundle).
//
//   exec_timer ROUNDS LABEL_A CMD_A... -- CLEANUP_A... -- LABEL_B CMD_B... -- CLEANUP_B...
// Each command is exec'd directly (posix_spawn, no shell); only the command is timed, its
// cleanup runs after it untimed. A command that fails stops the benchmark (exit 1).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/bench_util.h"

extern char** environ;

namespace {

using verified::bench::Median;
using verified::bench::Percentile;

using Cmd = std::vector<std::string>;

int Run(const Cmd& cmd) {
  std::vector<char*> argv;
  for (const auto& a : cmd) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: exec_timer ROUNDS LABEL_A CMD_A... -- CLEANUP_A... -- LABEL_B "
                 "CMD_B... -- CLEANUP_B...\n");
    return 2;
  }
  int rounds = std::atoi(argv[1]);
  std::vector<Cmd> parts(1);
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--") {
      parts.emplace_back();
    } else {
      parts.back().push_back(argv[i]);
    }
  }
  if (parts.size() != 4 || parts[0].size() < 2 || parts[2].size() < 2) {
    std::fprintf(stderr, "exec_timer: expected LABEL CMD -- CLEANUP -- LABEL CMD -- CLEANUP\n");
    return 2;
  }
  std::string label[2] = {parts[0][0], parts[2][0]};
  Cmd cmd[2] = {Cmd(parts[0].begin() + 1, parts[0].end()),
                Cmd(parts[2].begin() + 1, parts[2].end())};
  Cmd cleanup[2] = {parts[1], parts[3]};
  std::vector<double> ms[2];
  for (int r = 0; r < rounds + 2; ++r) {  // two warm-up rounds, not counted
    for (int k = 0; k < 2; ++k) {
      auto t0 = std::chrono::steady_clock::now();
      int rc = Run(cmd[k]);
      auto t1 = std::chrono::steady_clock::now();
      if (!cleanup[k].empty()) Run(cleanup[k]);
      if (rc != 0) {
        std::fprintf(stderr, "exec_timer: %s failed (exit %d)\n", label[k].c_str(), rc);
        return 1;
      }
      if (r >= 2) ms[k].push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
  }
  double m0 = Median(ms[0]), m1 = Median(ms[1]);
  std::printf("%-10s median %7.2f ms  p90 %7.2f ms  (%d runs)\n", label[0].c_str(), m0,
              Percentile(ms[0], 90), rounds);
  std::printf("%-10s median %7.2f ms  p90 %7.2f ms  (%d runs)\n", label[1].c_str(), m1,
              Percentile(ms[1], 90), rounds);
  std::printf("difference %+.2f ms, ratio %.2f\n", m1 - m0, m0 > 0 ? m1 / m0 : 0.0);
  return 0;
}
