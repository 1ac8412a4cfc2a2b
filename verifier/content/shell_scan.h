// Finding shells in an image's merged layers (the `no_shell` requirement's engine).
//
// What is caught:
//   - by name, in any directory: a regular file (any mode) or symlink whose name is a shell
//     (ShellNames(): sh, bash, dash, ash, zsh, ksh, mksh, csh, tcsh, fish and their common
//     variants), or, for executables and symlinks, an interpreter the policy lists
//     ("python" matches python, python3, python3.11);
//   - by content, whatever the name: every regular file with an execute bit (and any file
//     named busybox/toybox) that is an ELF binary is read and inspected for BusyBox or Toybox
//     with a shell applet (see multicall.h). A multi-call binary whose applet list cannot be
//     read counts as a shell.
// What is not caught: an ELF of bash, dash, zsh... under a non-shell name (no content
// signature is tried for them), shells without an execute bit under another name, scripts
// that implement a shell in an interpreter the policy does not list, packed executables.
// Deleted files (whiteouts, opaque directories) do not count: only the merged view does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/content/merged_tree.h"
#include "verifier/core/result.h"

namespace verified {

/// One shell found: where, and why it counts.
struct ShellHit {
  std::string path;    ///< absolute path in the image ("/bin/sh")
  std::string detail;  ///< "symlink to busybox", "BusyBox multi-call binary with applets ash, sh"
};

/// Bounds of the content inspection.
struct ShellScanLimits {
  uint64_t max_file_bytes = 512ull << 20;  ///< larger executables cannot be ruled out: error
  uint64_t max_total_bytes = 4ull << 30;   ///< over all executables of the image
};

/// What to look for.
struct ShellScanOptions {
  std::vector<std::string> interpreters;  ///< extra names treated as shells (policy value)
  ShellScanLimits limits;
};

/// The shell names looked for in every directory.
const std::vector<std::string>& ShellNames();

/// True when `base` (a file name) is a shell name.
bool IsShellName(std::string_view base);

/// True when `base` is `interpreter` optionally followed by a version made of digits and dots
/// ("python3.11" for "python"; not "pythonista").
bool MatchesInterpreter(std::string_view base, std::string_view interpreter);

/// Scans the merged view. Returns every hit (sorted by path, one per path). Fails with
/// kTooLarge when an executable or the total exceeds the limits (a shell cannot be ruled out)
/// and with kIo/kNotFound when a file cannot be read.
Result<std::vector<ShellHit>> FindShells(const MergedTree& tree, const ShellScanOptions& options);

}  // namespace verified
