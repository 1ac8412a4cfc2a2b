// Small helpers shared by the benchmark programs: timing child processes, medians, and a
// description of the machine the numbers came from.
#pragma once

#include <string>
#include <vector>

namespace verified::bench {

/// Runs argv (no shell) with stdout/stderr sent to /dev/null and returns wall microseconds;
/// -1 when it could not start or exited non-zero.
double TimeCommandUs(const std::vector<std::string>& argv);

/// Median of the values (0 for none).
double Median(std::vector<double> v);

/// Percentile p in [0,100] (nearest rank).
double Percentile(std::vector<double> v, double p);

/// "2 x Intel(R) Xeon(R) ... , Linux 6.x" from /proc/cpuinfo, nproc and uname.
std::string MachineDescription();

}  // namespace verified::bench
