// runtime_bench: what verified-runtime costs on the create path, measured against bare runc
// in the same run (README "Performance"). Driven by bench/run_runtime_bench.sh, which sets up
// a private dockerd, a registered image, a container whose overlay rootfs is mounted, a
// bundle, and config dirs with 1, 1,000 and 10,000 registered images.
//
//   runtime_bench --runc PATH --verified PATH --bundle DIR --id CID --root DIR
//                 --config-dir DIR --state-dir DIR [--decision-config-dir DIR]... [-n N]
// A signed config dir is timed twice: with no usable verification cache and with a warm one.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <optional>
#include <utility>

#include "bench/bench_util.h"
#include "verifier/decision/decide.h"
#include "verifier/registry/registration_store.h"
#include "verifier/signature/signature_store.h"

namespace {

using verified::bench::Median;
using verified::bench::Percentile;
using verified::bench::TimeCommandUs;

struct Options {
  std::string runc, verified, bundle, id, root, config_dir;
  std::vector<std::string> decision_dirs;
  std::string state_dir;  // private: the decisions' verification caches
  int n = 100;
  int decisions = 300;
};

// Interleaves bare runc and verified-runtime runs so drift (caches, other load) hits both.
// Each run starts /bin/true in a fresh container and deletes it.
int RunLatency(const Options& o) {
  std::vector<double> bare, wrapped;
  for (int i = 0; i < o.n; ++i) {
    // Alternate which goes first: a run's teardown (cgroup, mount cleanup in the kernel) can
    // spill into the next run, and the cost must not always land on the same side.
    auto bare_run = [&] {
      return TimeCommandUs({o.runc, "--root", o.root, "run", "--bundle", o.bundle, o.id});
    };
    auto verified_run = [&] {
      return TimeCommandUs({o.verified, "--config-dir=" + o.config_dir, "--root", o.root, "run",
                            "--bundle", o.bundle, o.id});
    };
    double b, w;
    if (i % 2 == 0) {
      b = bare_run();
      w = verified_run();
    } else {
      w = verified_run();
      b = bare_run();
    }
    if (b < 0 || w < 0) {
      fprintf(stderr, "run %d failed (bare %.0f, verified %.0f)\n", i, b, w);
      return 1;
    }
    bare.push_back(b);
    wrapped.push_back(w);
  }
  double mb = Median(bare), mw = Median(wrapped);
  printf("runc run of a busybox bundle, N=%d each, interleaved\n", o.n);
  printf("  %-28s median %8.2f ms   p90 %8.2f ms\n", "bare runc", mb / 1000,
         Percentile(bare, 90) / 1000);
  printf("  %-28s median %8.2f ms   p90 %8.2f ms\n", "verified-runtime (allowed)", mw / 1000,
         Percentile(wrapped, 90) / 1000);
  printf("  added median latency       %8.2f ms   ratio %.3f\n", (mw - mb) / 1000, mw / mb);
  return 0;
}

// Passthrough: a subcommand verified never inspects (`list`) costs one extra execve plus the
// read of runtime.json.
int RunPassthrough(const Options& o) {
  std::vector<double> bare, wrapped;
  for (int i = 0; i < o.n; ++i) {
    double b = TimeCommandUs({o.runc, "--root", o.root, "list"});
    double w =
        TimeCommandUs({o.verified, "--config-dir=" + o.config_dir, "--root", o.root, "list"});
    if (b < 0 || w < 0) return 1;
    bare.push_back(b);
    wrapped.push_back(w);
  }
  double mb = Median(bare), mw = Median(wrapped);
  printf("passthrough (runc list), N=%d each, interleaved\n", o.n);
  printf("  %-28s median %8.2f ms\n", "bare runc", mb / 1000);
  printf("  %-28s median %8.2f ms\n", "verified-runtime", mw / 1000);
  printf("  added median latency       %8.2f ms   ratio %.3f\n", (mw - mb) / 1000, mw / mb);
  return 0;
}

// Median and p90 of o.decisions create decisions of `req`; nullopt (after saying why) when one
// is refused.
std::optional<std::pair<double, double>> TimeDecisions(const Options& o,
                                                       const verified::CreateRequest& req) {
  std::vector<double> us;
  for (int i = 0; i < o.decisions; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto d = verified::Decide(req);
    auto end = std::chrono::steady_clock::now();
    if (!d.verdict.Allowed()) {
      fprintf(stderr, "decision refused: %s\n", d.verdict.reason.c_str());
      return std::nullopt;
    }
    us.push_back(std::chrono::duration<double, std::micro>(end - start).count());
  }
  return std::make_pair(Median(us), Percentile(us, 90));
}

// The cached signed decision against the unsigned one, interleaved (alternating which goes
// first) so that the machine's load drifts over both alike: medians of each and the median
// of the paired differences. False (after saying why) when one is refused.
bool TimeInterleaved(const Options& o, const verified::CreateRequest& unsigned_req,
                     const verified::CreateRequest& signed_req) {
  std::vector<double> plain, with, diff;
  auto once = [](const verified::CreateRequest& req) -> double {
    auto start = std::chrono::steady_clock::now();
    auto d = verified::Decide(req);
    auto end = std::chrono::steady_clock::now();
    if (!d.verdict.Allowed()) {
      fprintf(stderr, "decision refused: %s\n", d.verdict.reason.c_str());
      return -1;
    }
    return std::chrono::duration<double, std::micro>(end - start).count();
  };
  for (int i = 0; i < o.decisions; ++i) {
    double a, b;
    if (i % 2 == 0) {
      a = once(unsigned_req);
      b = once(signed_req);
    } else {
      b = once(signed_req);
      a = once(unsigned_req);
    }
    if (a < 0 || b < 0) return false;
    plain.push_back(a);
    with.push_back(b);
    diff.push_back(b - a);
  }
  printf(
      "    interleaved with the unsigned decision: unsigned median %5.0f us, signed_by cached "
      "median %5.0f us, paired difference median %+5.0f us\n",
      Median(plain), Median(with), Median(diff));
  return true;
}

int RunDecisions(const Options& o) {
  printf("create decision time (in process, Decide), %d decisions each\n", o.decisions);
  // Uncached: a state dir below a regular file can be neither read nor created, so every
  // decision verifies (and says the verification was not cached). Cached: a private state dir
  // the first (untimed) decision fills.
  std::string no_state = o.state_dir + "/not-a-dir";
  if (FILE* f = fopen(no_state.c_str(), "w"); f != nullptr) fclose(f);
  int index = 0;
  std::optional<verified::CreateRequest> unsigned_req;  // the first unsigned series
  for (const auto& dir : o.decision_dirs) {
    verified::RegistrationStore regs(dir);
    auto all = regs.List();
    size_t count = all.ok() ? all->size() : 0;
    verified::CreateRequest req;
    req.container_id = o.id;
    req.bundle_dir = o.bundle;
    req.config_dir = dir;
    // A dir with signatures is the signed series: its policy requires signed_by (and
    // registered, as the unsigned ones), so the difference is the signature check.
    auto signed_digests = verified::signature::ListSignedDigests(dir);
    size_t sigs = signed_digests.ok() ? signed_digests->size() : 0;
    std::vector<std::pair<std::string, std::string>> runs;  // (label, state dir)
    if (sigs == 0) {
      runs.emplace_back("                     ", no_state + "/state");
    } else {
      runs.emplace_back(" (signed_by, uncached)", no_state + "/state");
      std::string cached = o.state_dir + "/cached-" + std::to_string(index++);
      req.state_dir = cached;
      Options once = o;
      once.decisions = 1;
      if (!TimeDecisions(once, req)) return 1;
      runs.emplace_back(" (signed_by, cached)  ", cached);
    }
    for (const auto& [label, state] : runs) {
      req.state_dir = state;
      auto t = TimeDecisions(o, req);
      if (!t) return 1;
      printf("  %6zu registered images, %5zu signed digests%s   median %7.0f us   p90 %7.0f us\n",
             count, sigs, label.c_str(), t->first, t->second);
    }
    if (sigs == 0 && !unsigned_req) {
      unsigned_req = req;
      unsigned_req->state_dir = no_state + "/state";
    }
    if (sigs != 0 && unsigned_req && !TimeInterleaved(o, *unsigned_req, req)) return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"verified-runtime create-path benchmark"};
  app.add_option("--runc", o.runc)->required();
  app.add_option("--verified", o.verified)->required();
  app.add_option("--bundle", o.bundle)->required();
  app.add_option("--id", o.id)->required();
  app.add_option("--root", o.root)->required();
  app.add_option("--config-dir", o.config_dir)->required();
  app.add_option("--decision-config-dir", o.decision_dirs);
  app.add_option("--state-dir", o.state_dir)->required();
  app.add_option("-n", o.n);
  app.add_option("--decisions", o.decisions);
  CLI11_PARSE(app, argc, argv);
  printf("machine: %s\n", verified::bench::MachineDescription().c_str());
  if (int rc = RunLatency(o); rc != 0) return rc;
  if (int rc = RunPassthrough(o); rc != 0) return rc;
  return RunDecisions(o);
}
