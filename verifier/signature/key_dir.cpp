#include "verifier/signature/key_dir.h"

#include <unistd.h>

#include <algorithm>

#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/signature/key_der.h"

namespace verified::signature {
namespace {

constexpr std::string_view kSuffix = ".pub";

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_or_digit(name[0])) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return lower_or_digit(c) || c == '.' || c == '_' || c == '-'; });
}

std::string KeyPath(const KeyDirectory& keys, std::string_view name) {
  return keys.dir + "/" + std::string(name) + std::string(kSuffix);
}

}  // namespace

std::string KeysDir(const std::string& config_dir) { return config_dir + "/keys"; }

std::string PolicyKeysDir(const std::string& config_dir) { return config_dir + "/policy-keys"; }

KeyDirectory ImageKeyDirectory(const std::string& config_dir) {
  return KeyDirectory{KeysDir(config_dir), config_dir + "/.lock"};
}

KeyDirectory PolicyKeyDirectory(const std::string& config_dir) {
  return KeyDirectory{PolicyKeysDir(config_dir), config_dir + "/.lock"};
}

Status CheckKeyName(std::string_view name) {
  if (!ValidName(name)) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "key name \"{}\" is not valid (want [a-z0-9][a-z0-9._-]{{0,63}})",
                     name.substr(0, 80));
  }
  return Ok();
}

Result<PublicKey> LoadKey(const KeyDirectory& keys, std::string_view name) {
  VERIFIED_RETURN_IF_ERROR(CheckKeyName(name));
  VERIFIED_RETURN_IF_ERROR_WRAP(CheckTrustedPath(keys.dir), "key {}", name);
  VERIFIED_ASSIGN_OR_WRAP(std::string text,
                          ReadTrustedFile(KeyPath(keys, name), kMaxPublicKeyFileBytes), "key {}",
                          name);
  return PublicKey::Parse(text, name);
}

Result<PublicKey> LoadKey(const std::string& config_dir, std::string_view name) {
  return LoadKey(ImageKeyDirectory(config_dir), name);
}

Result<std::vector<PublicKey>> ListKeys(const std::string& config_dir) {
  return ListKeys(ImageKeyDirectory(config_dir));
}

// The key names of `keys`, sorted (ListKeys' listing rules); empty when the directory is absent.
static Result<std::vector<std::string>> KeyNames(const KeyDirectory& keys) {
  std::vector<std::string> names;
  Status dir_ok = CheckTrustedPath(keys.dir);
  if (!dir_ok.ok()) {
    if (dir_ok.error().kind() == ErrorKind::kNotFound) return names;
    return std::move(dir_ok).error();
  }
  VERIFIED_ASSIGN_OR_RETURN(Dir dir, Dir::Open(keys.dir));
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> files, dir.List("", kMaxKeys * 4));
  for (const auto& f : files) {
    if (f.size() <= kSuffix.size() || f.compare(f.size() - kSuffix.size(), kSuffix.size(), kSuffix))
      continue;
    std::string name = f.substr(0, f.size() - kSuffix.size());
    if (ValidName(name)) names.push_back(std::move(name));
  }
  if (names.size() > kMaxKeys) {
    return MakeError(ErrorKind::kTooLarge, "{}: {} keys exceeds the limit of {}", keys.dir,
                     names.size(), kMaxKeys);
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<PublicKey>> ListKeys(const KeyDirectory& keys) {
  std::vector<PublicKey> out;
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names, KeyNames(keys));
  for (const auto& name : names) {
    VERIFIED_ASSIGN_OR_RETURN(PublicKey key, LoadKey(keys, name));
    out.push_back(std::move(key));
  }
  return out;
}

Result<KeyFingerprint> LoadKeyFingerprint(const KeyDirectory& keys, std::string_view name) {
  VERIFIED_RETURN_IF_ERROR(CheckKeyName(name));
  VERIFIED_RETURN_IF_ERROR_WRAP(CheckTrustedPath(keys.dir), "key {}", name);
  VERIFIED_ASSIGN_OR_WRAP(std::string text,
                          ReadTrustedFile(KeyPath(keys, name), kMaxPublicKeyFileBytes), "key {}",
                          name);
  VERIFIED_ASSIGN_OR_RETURN(std::string fingerprint, KeyFileFingerprint(text, name));
  return KeyFingerprint{std::string(name), std::move(fingerprint)};
}

Result<std::vector<KeyFingerprint>> ListKeyFingerprints(const KeyDirectory& keys) {
  std::vector<KeyFingerprint> out;
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names, KeyNames(keys));
  for (const auto& name : names) {
    VERIFIED_ASSIGN_OR_RETURN(KeyFingerprint k, LoadKeyFingerprint(keys, name));
    out.push_back(std::move(k));
  }
  return out;
}

Status AddKey(const std::string& config_dir, const PublicKey& key) {
  return AddKey(ImageKeyDirectory(config_dir), key);
}

Status AddKey(const KeyDirectory& keys, const PublicKey& key) {
  VERIFIED_RETURN_IF_ERROR(CheckKeyName(key.name()));
  VERIFIED_RETURN_IF_ERROR(MakeDirs(keys.dir));
  VERIFIED_RETURN_IF_ERROR(CheckTrustedPath(keys.dir));
  VERIFIED_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(keys.lock));
  std::string path = KeyPath(keys, key.name());
  if (access(path.c_str(), F_OK) == 0 || errno != ENOENT) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "key {} already exists ({}): remove it first to replace it", key.name(), path);
  }
  return WriteFileAtomic(path, key.Pem(), 0644);
}

Result<bool> RemoveKey(const std::string& config_dir, std::string_view name) {
  return RemoveKey(ImageKeyDirectory(config_dir), name);
}

Result<bool> RemoveKey(const KeyDirectory& keys, std::string_view name) {
  VERIFIED_RETURN_IF_ERROR(CheckKeyName(name));
  Status dir_ok = CheckTrustedPath(keys.dir);
  if (!dir_ok.ok()) {
    if (dir_ok.error().kind() == ErrorKind::kNotFound) return false;
    return std::move(dir_ok).error();
  }
  VERIFIED_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(keys.lock));
  std::string path = KeyPath(keys, name);
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return false;
    return SysError(errno, "stat " + path);
  }
  VERIFIED_RETURN_IF_ERROR(RemoveFileDurable(path));
  return true;
}

}  // namespace verified::signature
