// runtime_create_bench: what verified adds to a container create, measured against bare runc
// in the same run, on a bundle an engine prepared (rootfs mounted from its store).
//
//   runtime_create_bench --runtime PATH --runc PATH --config-dir DIR --bundle DIR --id ID
//                        [--runc-root DIR] [-n N]
//
// Each round, in alternating order, times `runc create` and `verified-runtime create` (which
// decides, then execs the same runc) as whole processes, deleting the container after each;
// then times the decision alone (Decide in-process), and the create decision as the runtime
// takes it with and without the sandbox (shim/sandboxed_decision.h DecideCreate, alternating
// in the same run: fork, confinement, answer and its parse). Prints medians, the overhead and
// the machine. The container id must be the engine's own (resolvers check it), so `runc` gets
// a private --root and the bundle's cgroupsPath should be a bench-only one.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "shim/sandboxed_decision.h"
#include "verifier/decision/decide.h"

namespace {

using verified::bench::Median;

using Clock = std::chrono::steady_clock;

struct Options {
  std::string runtime, runc, config_dir, bundle, id, runc_root = "/tmp/verified-bench-runc";
  int rounds = 30;
};

struct Sample {
  int status = -1;
  double wall_us = 0;
  double cpu_us = 0;  // user + system time of the process (and children it reaped)
};

// Runs argv with stdio on /dev/null. Wall time on a loaded machine is mostly waiting for a
// CPU; the CPU time from wait4's rusage is what the process itself cost.
Sample Run(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  auto start = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  Sample out;
  out.wall_us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  out.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  out.cpu_us = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
               static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
  return out;
}

bool Parse(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--runtime")
      o.runtime = v;
    else if (k == "--runc")
      o.runc = v;
    else if (k == "--config-dir")
      o.config_dir = v;
    else if (k == "--bundle")
      o.bundle = v;
    else if (k == "--id")
      o.id = v;
    else if (k == "--runc-root")
      o.runc_root = v;
    else if (k == "-n")
      o.rounds = std::max(1, std::stoi(v));
    else
      return false;
  }
  return !o.runtime.empty() && !o.runc.empty() && !o.config_dir.empty() && !o.bundle.empty() &&
         !o.id.empty();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!Parse(argc, argv, o)) {
    fprintf(stderr,
            "usage: %s --runtime PATH --runc PATH --config-dir DIR --bundle DIR --id ID "
            "[--runc-root DIR] [-n N]\n",
            argv[0]);
    return 2;
  }
  std::vector<std::string> bare = {o.runc,     "--root", o.runc_root, "create",
                                   "--bundle", o.bundle, o.id};
  std::vector<std::string> verified = {o.runtime,
                                       "--config-dir=" + o.config_dir,
                                       "--runc=" + o.runc,
                                       "--root",
                                       o.runc_root,
                                       "create",
                                       "--bundle",
                                       o.bundle,
                                       o.id};
  std::vector<std::string> del = {o.runc, "--root", o.runc_root, "delete", "--force", o.id};
  std::vector<double> t_runc, t_verified, c_runc, c_verified, t_decide;
  for (int i = 0; i < o.rounds; ++i) {
    for (int which : {i % 2, 1 - i % 2}) {
      Sample s = Run(which == 0 ? bare : verified);
      Run(del);
      if (s.status != 0) {
        fprintf(stderr, "%s create failed (exit %d); run it by hand to see why\n",
                which == 0 ? "runc" : "verified-runtime", s.status);
        return 1;
      }
      (which == 0 ? t_runc : t_verified).push_back(s.wall_us);
      (which == 0 ? c_runc : c_verified).push_back(s.cpu_us);
    }
  }
  verified::CreateRequest req;
  req.container_id = o.id;
  req.bundle_dir = o.bundle;
  req.config_dir = o.config_dir;
  for (int i = 0; i < o.rounds * 4; ++i) {
    verified::Decision d = verified::Decide(req);
    if (!d.verdict.Allowed()) {
      fprintf(stderr, "decision is not allow: %s\n", d.verdict.reason.c_str());
      return 1;
    }
    t_decide.push_back(static_cast<double>(d.elapsed_us));
  }
  // The sandbox's cost: wall time of DecideCreate around the whole child, alternating order.
  std::vector<double> t_plain, t_sandboxed;
  for (int i = 0; i < o.rounds * 4; ++i) {
    for (bool sandboxed : {i % 2 == 0, i % 2 != 0}) {
      auto start = Clock::now();
      verified::shim::CreateDecision d = verified::shim::DecideCreate(req, sandboxed);
      double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
      if (!d.decision.verdict.Allowed()) {
        fprintf(stderr, "decision (sandbox %s) is not allow: %s\n", d.sandbox.c_str(),
                d.decision.verdict.reason.c_str());
        return 1;
      }
      (sandboxed ? t_sandboxed : t_plain).push_back(us);
    }
  }
  double mr = Median(t_runc), mv = Median(t_verified), md = Median(t_decide);
  double cr = Median(c_runc), cv = Median(c_verified);
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  printf("machine: %s\n", verified::bench::MachineDescription().c_str());
  printf("rounds: %d (alternating order), load average %.1f\n", o.rounds, load[0]);
  printf("                           wall median      CPU median (user+sys)\n");
  printf("runc create              %9.0f us      %9.0f us\n", mr, cr);
  printf("verified-runtime create  %9.0f us      %9.0f us\n", mv, cv);
  printf("difference               %+9.0f us      %+9.0f us   (wall x%.3f, CPU x%.3f)\n", mv - mr,
         cv - cr, mv / mr, cv / cr);
  printf("decision alone, in-process: median %.0f us over %zu runs\n", md, t_decide.size());
  double mp = Median(t_plain), ms = Median(t_sandboxed);
  printf(
      "create decision, VERIFIED_SANDBOX=off: median %.0f us; sandboxed: median %.0f us; "
      "sandbox adds %+.0f us (goal <= +300 us) over %zu runs each\n",
      mp, ms, ms - mp, t_plain.size());
  return 0;
}
