// hook_create_bench: what verified-hook adds to a container create under a plain OCI runtime,
// against the same runtime without the hook, in the same run, on a bundle an engine prepared.
//
//   hook_create_bench --runc PATH --runtime PATH --hook PATH --config-dir DIR --bundle DIR
//                     --hook-bundle DIR --state FILE --id ID [--runc-root DIR] [-n N]
//
// --bundle and --hook-bundle hold the same config.json except that the second lists the hook
// under hooks.createRuntime. Each round, in rotating order, times as whole processes:
// `runc create` of the plain bundle, `runc create` of the hook bundle (runc runs the hook,
// which decides), and `verified-runtime create` of the plain bundle (the wrapper decides, then
// execs runc), deleting the container after each. Then the hook alone: verified-hook with the
// OCI state from --state on stdin. Prints medians (wall and CPU), differences and the machine.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/bench_util.h"

namespace {

using verified::bench::Median;
using verified::bench::ProcessSample;
using verified::bench::RunProcess;

struct Options {
  std::string runc, runtime, hook, config_dir, bundle, hook_bundle, state, id;
  std::string runc_root = "/tmp/verified-bench-runc";
  int rounds = 30;
};

bool Parse(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    std::string* field = k == "--runc"          ? &o.runc
                         : k == "--runtime"     ? &o.runtime
                         : k == "--hook"        ? &o.hook
                         : k == "--config-dir"  ? &o.config_dir
                         : k == "--bundle"      ? &o.bundle
                         : k == "--hook-bundle" ? &o.hook_bundle
                         : k == "--state"       ? &o.state
                         : k == "--id"          ? &o.id
                         : k == "--runc-root"   ? &o.runc_root
                                                : nullptr;
    if (k == "-n") {
      o.rounds = std::max(1, std::atoi(v.c_str()));
    } else if (field != nullptr) {
      *field = v;
    } else {
      return false;
    }
  }
  for (const std::string* f :
       {&o.runc, &o.runtime, &o.hook, &o.config_dir, &o.bundle, &o.hook_bundle, &o.state, &o.id}) {
    if (f->empty()) return false;
  }
  return true;
}

struct Series {
  const char* name;
  std::vector<std::string> argv;
  std::vector<double> wall, cpu;
};

void PrintRow(const Series& s, const Series& base) {
  double w = Median(s.wall), c = Median(s.cpu);
  printf("%-34s %9.0f us  %9.0f us", s.name, w, c);
  if (&s != &base) {
    double bw = Median(base.wall), bc = Median(base.cpu);
    printf("   %+7.0f us wall (x%.3f), %+7.0f us CPU", w - bw, w / bw, c - bc);
  }
  printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!Parse(argc, argv, o)) {
    fprintf(stderr,
            "usage: %s --runc PATH --runtime PATH --hook PATH --config-dir DIR --bundle DIR "
            "--hook-bundle DIR --state FILE --id ID [--runc-root DIR] [-n N]\n",
            argv[0]);
    return 2;
  }
  std::vector<Series> series = {
      {"runc create",
       {o.runc, "--root", o.runc_root, "create", "--bundle", o.bundle, o.id},
       {},
       {}},
      {"runc create + verified-hook",
       {o.runc, "--root", o.runc_root, "create", "--bundle", o.hook_bundle, o.id},
       {},
       {}},
      {"verified-runtime create",
       {o.runtime, "--config-dir=" + o.config_dir, "--runc=" + o.runc, "--root", o.runc_root,
        "create", "--bundle", o.bundle, o.id},
       {},
       {}},
  };
  std::vector<std::string> del = {o.runc, "--root", o.runc_root, "delete", "--force", o.id};
  for (int i = 0; i < o.rounds; ++i) {
    for (size_t k = 0; k < series.size(); ++k) {
      Series& s = series[(static_cast<size_t>(i) + k) % series.size()];
      ProcessSample r = RunProcess(s.argv);
      RunProcess(del);
      if (r.status != 0) {
        fprintf(stderr, "%s failed (exit %d); run it by hand to see why\n", s.name, r.status);
        return 1;
      }
      s.wall.push_back(r.wall_us);
      s.cpu.push_back(r.cpu_us);
    }
  }
  Series alone{
      "verified-hook alone (state on stdin)", {o.hook, "--config-dir", o.config_dir}, {}, {}};
  for (int i = 0; i < o.rounds * 2; ++i) {
    ProcessSample r = RunProcess(alone.argv, o.state);
    if (r.status != 0) {
      fprintf(stderr, "verified-hook refused the container (exit %d)\n", r.status);
      return 1;
    }
    alone.wall.push_back(r.wall_us);
    alone.cpu.push_back(r.cpu_us);
  }
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  printf("machine: %s\n", verified::bench::MachineDescription().c_str());
  printf("rounds: %d (rotating order), load average %.1f\n", o.rounds, load[0]);
  printf("%-34s %12s  %12s   %s\n", "", "wall median", "CPU median", "vs runc create");
  for (const Series& s : series) PrintRow(s, series[0]);
  printf("%-34s %9.0f us  %9.0f us   (%zu runs)\n", alone.name, Median(alone.wall),
         Median(alone.cpu), alone.wall.size());
  return 0;
}
