// The host's signing keys: <config-dir>/keys/NAME.pub, one PEM public key per file.
//
// A key decides which images run, so the directory and every key file must be trusted as
// policy.json and the registrations are (verifier/fs/trusted_file.h: no symlink, owned by root
// or the effective user, not writable by group or others). Writers serialise on
// <config-dir>/.lock (the registrations' lock) and replace files atomically; readers take no
// lock.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/signature/public_key.h"

namespace verified::signature {

/// Most keys one directory may hold.
inline constexpr size_t kMaxKeys = 1000;

/// <config-dir>/keys.
std::string KeysDir(const std::string& config_dir);

/// <config-dir>/policy-keys: the keys allowed to sign the policy (verifier/signedpolicy/).
std::string PolicyKeysDir(const std::string& config_dir);

/// A directory of public key files and the lock its writers take. The image-signing keys
/// (ImageKeyDirectory) and the policy-signing keys (PolicyKeyDirectory) are the same kind of
/// directory, read and written by the same functions below.
struct KeyDirectory {
  std::string dir;   ///< holds NAME.pub files
  std::string lock;  ///< the writers' lock (the config dir's .lock)
};

/// <config-dir>/keys with the config dir's lock.
KeyDirectory ImageKeyDirectory(const std::string& config_dir);

/// <config-dir>/policy-keys with the config dir's lock.
KeyDirectory PolicyKeyDirectory(const std::string& config_dir);

/// Checks a key name: [a-z0-9][a-z0-9._-]{0,63}. kInvalidArgument naming it otherwise.
Status CheckKeyName(std::string_view name);

/// LoadKey, ListKeys, AddKey and RemoveKey below on the image keys of `config_dir`
/// (ImageKeyDirectory); the KeyDirectory overloads do the same on any key directory.
Result<PublicKey> LoadKey(const KeyDirectory& keys, std::string_view name);
Result<std::vector<PublicKey>> ListKeys(const KeyDirectory& keys);
Status AddKey(const KeyDirectory& keys, const PublicKey& key);
Result<bool> RemoveKey(const KeyDirectory& keys, std::string_view name);

/// Loads and validates key `name`. kInvalidArgument for a bad name; kNotFound when the key (or
/// the keys directory) does not exist; kPermission when the directory or file is untrusted;
/// PublicKey::Parse's errors for a file that is not an accepted key. Never falls back.
Result<PublicKey> LoadKey(const std::string& config_dir, std::string_view name);

/// Every key, sorted by name; empty when the keys directory does not exist. Files that are not
/// `<valid name>.pub` (temp files of an interrupted writer) are skipped; any listed key that
/// fails LoadKey's checks fails the whole listing (fail closed). kTooLarge beyond kMaxKeys.
Result<std::vector<PublicKey>> ListKeys(const std::string& config_dir);

/// Stores `key` as keys/<key.name()>.pub (its canonical PEM, mode 0644), creating the
/// directory (0755). kInvalidArgument for a bad name; kInvalidArgument when a key of that name
/// already exists (remove it first: replacing a trusted key should be deliberate).
Status AddKey(const std::string& config_dir, const PublicKey& key);

/// Removes key `name`; false when it did not exist.
Result<bool> RemoveKey(const std::string& config_dir, std::string_view name);

}  // namespace verified::signature
