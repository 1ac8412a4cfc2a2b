// runc's command-line grammar, reproduced exactly enough to know, with certainty, which
// container and bundle a create/run/restore line names.
//
// Debian's runc (1.1.x) and runc 1.2 use urfave/cli v1 on Go's flag package:
//   - global flags stop at the first non-flag argument (the subcommand) or "--";
//   - `-x` and `--x` are the same; values as `--x=v` or `--x v` (the next argument, whatever
//     it looks like); booleans only as `--x` or `--x=<bool>`;
//   - subcommand flags may follow positional arguments (urfave's reorderArgs), except for
//     exec, whose flags must come first (SkipArgReorder);
//   - a flag given in both long and short form ("--bundle" and "-b") is an error.
// A line this parser cannot read with certainty on the create path is refused by the caller:
// a misparse would be a bypass.
#pragma once

#include <string>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/decision/runc_state.h"  // IsValidContainerId, as runc checks ids

namespace verified::shim {

/// runc's global options.
struct RuncGlobals {
  std::string log;         ///< --log
  std::string log_format;  ///< --log-format
  std::string root;        ///< --root
  bool debug = false;
  bool systemd_cgroup = false;
  bool help = false;  ///< --help / -h / --version / -v: runc prints and exits
};

/// A parsed runc command line.
struct RuncCommandLine {
  RuncGlobals globals;
  std::string subcommand;       ///< "" when none (runc shows help)
  size_t subcommand_index = 0;  ///< index of the subcommand in the parsed args
  // Set for create, run, restore and exec:
  std::string container_id;
  std::string bundle;  ///< --bundle/-b as given ("" = current directory)
  bool help = false;   ///< subcommand --help: runc prints usage, runs nothing
};

/// True for subcommands that start a container from a bundle (the verified path).
bool IsCreatePath(const std::string& subcommand);

/// Parses only runc's global options and finds the subcommand; never fails on an unknown
/// subcommand (runc will report it). kInvalidArgument on a malformed global flag.
Result<RuncCommandLine> ParseRuncGlobals(const std::vector<std::string>& args);

/// Parses the whole line, including the flags and positional arguments of create, run, restore
/// and exec. Fails with kInvalidArgument when runc would fail or when the line is ambiguous
/// (a flag value that looks like a flag, an unknown flag, not exactly one container id).
Result<RuncCommandLine> ParseRuncArgs(const std::vector<std::string>& args);

/// True when any argument is literally a create-path subcommand name. Used when parsing
/// fails: such a line might create a container under a grammar we do not know, so it is
/// refused rather than passed through.
bool MentionsCreatePath(const std::vector<std::string>& args);

}  // namespace verified::shim
