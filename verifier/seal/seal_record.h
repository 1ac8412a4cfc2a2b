// Seal records: how `exec` knows, without trusting its caller, that a container is sealed.
//
// At create, when a `sealed` requirement applied to the container, the runtime writes
// <runc-root>/verified-seal-<id>.json (mode 0600, atomically: temp file + rename) before it
// execs runc; a create without a seal removes any stale record of that id. runc itself keeps
// each container in <runc-root>/<id>/ and fails to create one whose directory exists, so the
// record is a sibling file, never that directory; `runc list` skips plain files.
// At exec, the record is read through an O_NOFOLLOW open beneath the root and trusted only
// when it is a regular file owned by the runtime's user and writable by nobody else.
// Records of deleted containers are harmless (a new create of the same id rewrites or
// removes them) and are swept by later sealed creates once old enough (SweepStaleSealRecords).
// These records serve `exec`, `start`, `delete` and `checkpoint`, which always come through the
// same runc root; namespace joins, which may come from any engine, use the host-wide index
// (verifier/seal/seal_index.h), whose entry names the record lists (index_entries).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"

namespace verified {

/// What is recorded about a sealed container.
struct SealRecord {
  std::string container_id;
  std::string image;             ///< display name of the image
  std::string image_id;          ///< "sha256:..."
  std::string rule;              ///< the rule (or "the host baseline") that sealed it
  std::string mode = "enforce";  ///< "audit": exec is logged, not refused
  std::string sealed_at;         ///< RFC 3339 time of the create decision
  /// Namespace types the container created itself ("pid", "ipc", "network", "mount"...):
  /// another container may not join them.
  std::vector<std::string> namespaces;
  /// Names of the entries this container has in the host-wide seal index
  /// (verifier/seal/seal_index.h), removed with it at `delete`.
  std::vector<std::string> index_entries;
};

/// Largest record accepted when reading.
inline constexpr size_t kMaxSealRecordBytes = 64u << 10;

/// "<root>/verified-seal-<id>.json".
std::string SealRecordPath(const std::string& root, const std::string& container_id);

/// Serialises a record (one JSON object).
std::string FormatSealRecord(const SealRecord& r);

/// Parses a record; kParse on anything that is not an object with a string container_id, a
/// known mode and string fields.
Result<SealRecord> ParseSealRecord(std::string_view text);

/// Writes the record for r.container_id under `root` (created 0700 when missing, as runc
/// does), atomically with mode 0600.
Status WriteSealRecord(const std::string& root, const SealRecord& r);

/// Removes the record of `container_id`; absent is not an error.
Status RemoveSealRecord(const std::string& root, const std::string& container_id);

/// Reads the record of `container_id`: nullopt when there is none (or `root` does not
/// exist); kPermission when it is not a regular file owned by this user and unwritable by
/// others; kParse when malformed; kInconsistent when it names another container.
Result<std::optional<SealRecord>> ReadSealRecord(const std::string& root,
                                                 const std::string& container_id);

/// Removes records whose container directory <root>/<id> is gone and that are older than
/// `min_age_seconds` (a create in progress has its record before runc makes the directory).
/// Looks at no more than `max_entries` directory entries. Best effort: returns how many
/// records were removed.
size_t SweepStaleSealRecords(const std::string& root, long min_age_seconds,
                             size_t max_entries = 4096);

}  // namespace verified
