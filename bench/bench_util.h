// Small helpers shared by the benchmark programs: timing child processes, medians, and a
// description of the machine the numbers came from.
#pragma once

#include <string>
#include <vector>

namespace verified::bench {

/// Runs argv (no shell) with stdout/stderr sent to /dev/null and returns wall microseconds;
/// -1 when it could not start or exited non-zero.
double TimeCommandUs(const std::vector<std::string>& argv);

/// One finished child process.
struct ProcessSample {
  int status = -1;     ///< exit status, -1 when it did not exit normally or could not start
  double wall_us = 0;  ///< wall time from fork to reap
  double cpu_us = 0;   ///< user + system time of the process and the children it reaped
};

/// Runs argv (no shell) with stdin from `stdin_path` ("" = /dev/null) and stdout/stderr on
/// /dev/null. On a loaded machine wall time is mostly waiting for a CPU; cpu_us (wait4's
/// rusage) is what the process itself cost.
ProcessSample RunProcess(const std::vector<std::string>& argv, const std::string& stdin_path = "");

/// Median of the values (0 for none).
double Median(std::vector<double> v);

/// Percentile p in [0,100] (nearest rank).
double Percentile(std::vector<double> v, double p);

/// "2 x Intel(R) Xeon(R) ... , Linux 6.x" from /proc/cpuinfo, nproc and uname.
std::string MachineDescription();

}  // namespace verified::bench
