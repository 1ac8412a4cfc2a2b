// The host-wide seal index: how a container about to join a namespace learns, in one lookup,
// whether a sealed container holds that namespace, whichever engine (and runc --root) made it.
//
// One directory for the whole host (default /run/verified/seals: a tmpfs, so entries die with
// the containers at reboot), owned by the runtime's user, mode 0700. Each entry is one small
// JSON file named by a file identity (st_dev, st_ino), so a check is a stat and an open, never
// a directory listing (a listing has to stop somewhere, and what lies past the stop would be
// missed):
//   root-<dev>-<ino>  the root directory (rootfs) of a sealed container, written at its
//                     create (every engine has mounted the rootfs by then; runc bind-mounts
//                     it onto itself, keeping dev/ino) and found from a joined
//                     /proc/<pid>/ns/<type> through stat(/proc/<pid>/root);
//   ns-<dev>-<ino>    a namespace a sealed container created itself (nsfs dev/ino), written at
//                     its `start`, when runc's state.json names the init process; found from
//                     any joined path, /proc or bind-mounted (/run/netns/...), by stat(path).
// Entries are written atomically (temp file + rename) with mode 0600, and trusted only when
// the directory and the file are owned by the runtime's user and writable by nobody else.
// dev/ino pairs are reused after a container is gone, so each entry carries what is needed to
// check that it still describes a live sealed container (SealEntry; the caller checks).
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/seal/seal_record.h"

namespace verified {

/// Where the index lives unless --seal-dir or VERIFIED_SEAL_DIR says otherwise.
inline constexpr const char* kDefaultSealDir = "/run/verified/seals";

/// Largest entry accepted when reading.
inline constexpr size_t kMaxSealEntryBytes = 64u << 10;

/// A file's identity.
struct FileKey {
  uint64_t dev = 0;
  uint64_t ino = 0;
  bool operator==(const FileKey&) const = default;
};

/// What one index entry says.
struct SealEntry {
  std::string container_id;
  std::string runc_root;  ///< the --root runc keeps the container's state in
  std::string image;
  std::string image_id;
  std::string rule;
  std::string mode = "enforce";         ///< "audit": joins are logged by the decision, not refused
  std::vector<std::string> namespaces;  ///< namespace types the container created itself
  std::string ns_type;                  ///< ns- entries: which namespace ("pid", "network"...)
  int64_t init_pid = 0;                 ///< ns- entries: the container's init process
  int64_t written_at = 0;               ///< Unix seconds when written
};

/// The index entry for sealed container `r` whose state runc keeps under `runc_root`, written
/// now (ns_type and init_pid left for ns- entries to fill in).
SealEntry SealEntryFor(const SealRecord& r, const std::string& runc_root);

/// The identity of a stat result.
FileKey FileKeyOf(const struct stat& st);

/// "root-<dev>-<ino>".
std::string RootEntryName(const FileKey& k);

/// The root entry name of the container root directory at `root_path` ("root-<dev>-<ino>" of
/// its stat), the key verified-runtime writes before runc runs and a joiner or the hook looks
/// up. kNotFound naming the path when it cannot be stat'ed (an empty path included).
Result<std::string> RootEntryNameFor(const std::string& root_path);

/// "ns-<dev>-<ino>".
std::string NsEntryName(const FileKey& k);

/// Serialises an entry (one JSON object).
std::string FormatSealEntry(const SealEntry& e);

/// Parses an entry: kTooLarge beyond kMaxSealEntryBytes; kParse for anything but an object
/// with a non-empty container_id and runc_root, a known mode and well-typed fields.
Result<SealEntry> ParseSealEntry(std::string_view text);

/// Writes entry `name` in `dir` (created 0700 when missing; refused with kPermission when it
/// exists owned by someone else or writable by others), atomically with mode 0600.
Status WriteSealEntry(const std::string& dir, const std::string& name, const SealEntry& e);

/// Reads entry `name`: nullopt when it (or `dir`) does not exist; kPermission when `dir` or
/// the entry is not owned by this user or is writable by others, or the entry is not a
/// regular file; kParse/kTooLarge when malformed. Never follows a symlink.
Result<std::optional<SealEntry>> ReadSealEntry(const std::string& dir, const std::string& name);

/// Removes entry `name`; absent is not an error.
Status RemoveSealEntry(const std::string& dir, const std::string& name);

/// Removes root-/ns- entries whose `still_live` says no, among entries at least
/// `min_age_seconds` old. Best effort (a cap of `max_entries` names looked at bounds the
/// work; an entry left over is only checked again at its lookup). Returns how many it removed.
template <typename Pred>
size_t SweepSealEntries(const std::string& dir, long min_age_seconds, Pred still_live,
                        size_t max_entries = 4096);

/// Lists up to `max_entries` entry names in `dir` (for SweepSealEntries; never for a
/// decision).
std::vector<std::string> ListSealEntries(const std::string& dir, size_t max_entries);

template <typename Pred>
size_t SweepSealEntries(const std::string& dir, long min_age_seconds, Pred still_live,
                        size_t max_entries) {
  size_t removed = 0;
  for (const std::string& name : ListSealEntries(dir, max_entries)) {
    auto e = ReadSealEntry(dir, name);
    if (!e.ok() || !e->has_value()) continue;
    if ((*e)->written_at + min_age_seconds > static_cast<int64_t>(time(nullptr))) continue;
    if (still_live(name, **e)) continue;
    if (RemoveSealEntry(dir, name).ok()) ++removed;
  }
  return removed;
}

}  // namespace verified
