// The files a signed policy covers: everything in the config dir that decides what runs.
//
//   policy.json     the rules
//   images/**       the registrations (by-name and by-chain records)
//   keys/*          the keys image signatures are checked with
//   policy-keys/*   the keys the policy is signed with: covering them is how a key is rotated
//                   (adding or removing one is an edit that a currently trusted key must sign)
//
// Not covered: signatures/ (each stored signature carries its own proof, checked against keys/
// at every create, and importing one must not need the policy key), runtime.json (which runc
// to exec and where to log: host plumbing, not approval), the statement and its signature.
#pragma once

#include <map>
#include <string>

#include "verifier/core/result.h"

namespace verified::signedpolicy {

/// Largest covered file read (policy.json's own limit; registrations and keys are smaller).
inline constexpr size_t kMaxCoveredFileBytes = 4u << 20;

/// Covered path (relative to the config dir) -> "sha256:<hex>" of its bytes.
using FileDigests = std::map<std::string, std::string>;

/// Hashes every covered file of `config_dir`; with `registrations` false, images/ is skipped
/// (neither listed nor read): a create decision checks the few registration files it reads as
/// it reads them (RegistrationStore's SignedRegistrations), so its cost does not grow with the
/// number of registrations. Each directory and file must be trusted as policy.json is
/// (verifier/fs/trusted_file.h: kPermission otherwise; a symlink included); kNotFound when
/// policy.json is missing; absent images/, keys/ or policy-keys/ contribute nothing; kTooLarge
/// beyond kMaxCoveredFileBytes per file, kMaxStatementFiles files or 8 levels of directories.
Result<FileDigests> CollectCoveredFiles(const std::string& config_dir, bool registrations = true);

/// The entries of `files` outside images/ (what CollectCoveredFiles(dir, false) covers).
FileDigests OutsideRegistrations(const FileDigests& files);

/// How `actual` differs from `signed_files`: "" when equal, else one line naming the first
/// difference in path order
/// ("images/by-name/x.json was added", "policy.json changed", "keys/a.pub was removed") and how
/// many more there are.
std::string DescribeDifference(const FileDigests& signed_files, const FileDigests& actual);

}  // namespace verified::signedpolicy
