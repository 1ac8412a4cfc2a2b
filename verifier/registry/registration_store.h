// RegistrationStore: registered images under <config-dir>/images, indexed for O(1) lookups.
//
//   images/by-name/<sha256(name)>.json        the Registration record
//   images/by-chain/<top chainID hex>.json    {"names":[...]} every name registered with it
//
// A create decision reads at most a handful of these files, so its cost does not grow with
// the number of registered images. Writers serialise on <config-dir>/.lock and replace files
// atomically; readers take no lock. Every file and directory read here must be trusted as
// policy.json is (verifier/fs/trusted_file.h): a registration allows containers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/registry/registration.h"
#include "verifier/registry/signed_file_lookup.h"

namespace verified {

/// Largest registration record and chain index we read.
inline constexpr size_t kMaxRegistrationBytes = 1u << 20;
/// Most names one chain may be registered under.
inline constexpr size_t kMaxNamesPerChain = 10000;

/// What a signed policy (verifier/signedpolicy/) says of the registration files: when `files`
/// is set, every registration file read must be listed there with the SHA-256 of its bytes,
/// and a listed file must not be missing. A create decision reads a handful of them, so they
/// are checked as they are read, not all of them at every create.
struct SignedRegistrations {
  /// The statement's entries by covered path ("images/by-name/<x>.json"), which must outlive
  /// the store; null: no signed policy.
  const SignedFileLookup* files = nullptr;
  int64_t version = 0;  ///< the signed version, for messages
};

/// The registration files a store read, by path relative to the config dir
/// ("images/by-name/<x>.json", "images/by-chain/<x>.json"), each with the digests
/// ("sha256:<hex>") of the bytes read, in read order, nullopt for a read that found it absent;
/// a file read again with the same answer is listed once. Exactly the registration state a
/// decision saw, so that the decision log can name it and each verdict be checked against it.
using RegistrationReads = std::map<std::string, std::vector<std::optional<std::string>>>;

/// Access to the registered images of one config dir.
class RegistrationStore {
 public:
  explicit RegistrationStore(std::string config_dir, SignedRegistrations signed_files = {})
      : dir_(std::move(config_dir)), signed_(signed_files) {}

  /// The registration of a normalised name, nullopt when not registered. A record that is
  /// unreadable or malformed is an error (fail closed), never "not registered"; so is, under a
  /// signed policy, a record or chain index that differs from what was signed (kIntegrity,
  /// "signed policy: unsigned edit: ..."), added or removed since; so is one
  /// (or an images/ directory) that is a symlink, owned by another user than root, or
  /// writable by group or others (kPermission, naming the file and the fix), as for policy.json.
  Result<std::optional<Registration>> FindByName(const std::string& name) const;

  /// Every registration whose top chainID is `top_chain`.
  Result<std::vector<Registration>> FindByChain(const std::string& top_chain) const;

  /// Adds or replaces the registration of r.name, updating both indexes under the lock.
  Status Put(const Registration& r) const;

  /// Removes the registration of `name`; false when it was not registered.
  Result<bool> Remove(const std::string& name) const;

  /// All registrations, sorted by name.
  Result<std::vector<Registration>> List() const;

  const std::string& config_dir() const { return dir_; }

  /// Every registration file FindByName, FindByChain (and Put and Remove, through them) read
  /// successfully or found absent so far; a read that failed otherwise is not listed (its
  /// error already decided).
  const RegistrationReads& reads() const { return reads_; }

 private:
  std::string NamePath(const std::string& name) const;
  std::string ChainPath(const std::string& top_chain) const;
  Result<std::vector<std::string>> ReadChainNames(const std::string& top_chain) const;
  Status WriteChainNames(const std::string& top_chain, const std::vector<std::string>& names) const;
  Status EnsureDirs() const;
  // CheckTrustedPath on images/ and images/<index>/ (kNotFound when either is absent).
  Status CheckDirs(const char* index) const;
  // Under a signed policy: `bytes` (nullptr: the file is absent) of images/<rel> as signed.
  Status CheckSigned(const std::string& rel, const std::string* bytes) const;
  // Adds the read of images/<rel> (`bytes` nullptr: absent) to reads_.
  void NoteRead(const std::string& rel, const std::string* bytes) const;

  std::string dir_;
  SignedRegistrations signed_;
  mutable RegistrationReads reads_;
};

}  // namespace verified
