// Recognising multi-call binaries (BusyBox, Toybox) by their bytes, whatever their file name,
// and reading which applets they provide.
//
// BusyBox: identified by its banner ("BusyBox v"). Its applet names are compiled into one
// table, `applet_names` in libbb/appletlib.c: NUL-separated names in strictly ascending
// order ("[\0[[\0acpid\0...\0ash\0awk\0..."). We find that table as the longest sorted run of
// applet-like tokens around a known applet name (at least kMinAppletRun tokens) and read the
// shell applets (ash, sh, hush, bash, msh) from it.
// Toybox: identified by "usage: toybox" or "(see toybox --help)". Every command has a help
// text beginning "usage: NAME"; a shell is present when "usage: sh", "usage: bash" or
// "usage: toysh" is. A toybox built without help text cannot be read: reported as unknown.
//
// Not caught: a multi-call binary whose banner and tables were stripped or renamed, shells
// of other projects under other names (an ELF of bash called "app" is only caught by name),
// compressed or packed executables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace verified {

/// What the bytes of one file say about multi-call applets.
struct MultiCallInfo {
  std::string kind;  ///< "busybox", "toybox", or "" when the bytes are neither
  /// True when the applet list was found, so `shell_applets` is complete.
  bool applets_known = false;
  std::vector<std::string> shell_applets;  ///< shell applets provided, sorted
  size_t applet_count = 0;                 ///< applets found in the table (0 when unknown)

  /// True when this binary can run a shell (has a shell applet, or its applets are unknown).
  bool ProvidesShell() const { return !kind.empty() && (!applets_known || !shell_applets.empty()); }
};

/// Minimum number of sorted applet names taken as BusyBox's applet table.
inline constexpr size_t kMinAppletRun = 8;

/// Inspects a file's bytes. Never fails; any byte sequence gives an answer.
MultiCallInfo InspectMultiCall(std::string_view bytes);

/// Offset of the first BusyBox or Toybox marker ("BusyBox v", "usage: toybox",
/// "(see toybox --help)") in `bytes`, or npos: its absence proves the bytes are neither.
size_t FindMultiCallMarker(std::string_view bytes);

}  // namespace verified
