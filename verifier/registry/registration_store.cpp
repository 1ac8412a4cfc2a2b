#include "verifier/registry/registration_store.h"

#include <unistd.h>

#include <algorithm>

#include "verifier/core/json.h"
#include "verifier/crypto/sha256.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/image/digest.h"

namespace verified {

std::string RegistrationStore::NamePath(const std::string& name) const {
  return dir_ + "/images/by-name/" + Sha256Hex(name) + ".json";
}

std::string RegistrationStore::ChainPath(const std::string& top_chain) const {
  return dir_ + "/images/by-chain/" + std::string(DigestHex(top_chain)) + ".json";
}

Status RegistrationStore::CheckSigned(const std::string& rel, const std::string* bytes) const {
  if (signed_.files == nullptr) return Ok();
  std::string path = "images/" + rel;
  VERIFIED_ASSIGN_OR_RETURN(std::optional<std::string> listed, signed_.files->Find(path));
  const char* what = nullptr;
  if (bytes == nullptr) {
    if (listed) what = "was removed";
  } else if (!listed) {
    what = "was added";
  } else if (*listed != Sha256Digest(*bytes)) {
    what = "changed";
  }
  if (what == nullptr) return Ok();
  return MakeError(ErrorKind::kIntegrity,
                   "signed policy: unsigned edit: {} {} since version {} was signed; sign the "
                   "result with verifiedctl policy sign",
                   path, what, signed_.version);
}

void RegistrationStore::NoteRead(const std::string& rel, const std::string* bytes) const {
  std::optional<std::string> digest;
  if (bytes != nullptr) digest = Sha256Digest(*bytes);
  auto& seen = reads_["images/" + rel];
  if (seen.empty() || seen.back() != digest) seen.push_back(std::move(digest));
}

Status RegistrationStore::CheckDirs(const char* index) const {
  // A registration allows containers, exactly as the policy does: the same ownership and mode
  // rule holds for every directory and file read here, or a user who can write one of them
  // could register anything.
  VERIFIED_RETURN_IF_ERROR(CheckTrustedPath(dir_ + "/images"));
  return CheckTrustedPath(dir_ + "/images/" + index);
}

Status RegistrationStore::EnsureDirs() const {
  VERIFIED_RETURN_IF_ERROR(MakeDirs(dir_ + "/images/by-name"));
  return MakeDirs(dir_ + "/images/by-chain");
}

Result<std::optional<Registration>> RegistrationStore::FindByName(const std::string& name) const {
  Status dirs = CheckDirs("by-name");
  if (!dirs.ok()) {
    if (dirs.error().kind() == ErrorKind::kNotFound) {
      NoteRead("by-name/" + Sha256Hex(name) + ".json", nullptr);
      return std::optional<Registration>();
    }
    return Wrap(std::move(dirs).error(), "registration of {}", name);
  }
  auto text = ReadTrustedFile(NamePath(name), kMaxRegistrationBytes);
  std::string rel = "by-name/" + Sha256Hex(name) + ".json";
  if (!text.ok()) {
    if (text.error().kind() == ErrorKind::kNotFound) {
      NoteRead(rel, nullptr);
      VERIFIED_RETURN_IF_ERROR_WRAP(CheckSigned(rel, nullptr), "registration of {}", name);
      return std::optional<Registration>();
    }
    return Wrap(std::move(text).error(), "registration of {}", name);
  }
  NoteRead(rel, &*text);
  VERIFIED_RETURN_IF_ERROR_WRAP(CheckSigned(rel, &*text), "registration of {}", name);
  VERIFIED_ASSIGN_OR_WRAP(nlohmann::json j, ParseJson(*text, "registration"), "registration of {}",
                          name);
  VERIFIED_ASSIGN_OR_WRAP(Registration r, RegistrationFromJson(j), "registration of {}", name);
  if (r.name != name) {
    return MakeError(ErrorKind::kInconsistent, "registration file for {} names {}", name, r.name);
  }
  return std::optional<Registration>(std::move(r));
}

Result<std::vector<std::string>> RegistrationStore::ReadChainNames(
    const std::string& top_chain) const {
  std::vector<std::string> names;
  Status dirs = CheckDirs("by-chain");
  if (!dirs.ok()) {
    if (dirs.error().kind() == ErrorKind::kNotFound) {
      NoteRead("by-chain/" + std::string(DigestHex(top_chain)) + ".json", nullptr);
      return names;
    }
    return Wrap(std::move(dirs).error(), "chain index {}", top_chain);
  }
  auto text = ReadTrustedFile(ChainPath(top_chain), kMaxRegistrationBytes);
  std::string rel = "by-chain/" + std::string(DigestHex(top_chain)) + ".json";
  if (!text.ok()) {
    if (text.error().kind() == ErrorKind::kNotFound) {
      NoteRead(rel, nullptr);
      VERIFIED_RETURN_IF_ERROR_WRAP(CheckSigned(rel, nullptr), "chain index {}", top_chain);
      return names;
    }
    return Wrap(std::move(text).error(), "chain index {}", top_chain);
  }
  NoteRead(rel, &*text);
  VERIFIED_RETURN_IF_ERROR_WRAP(CheckSigned(rel, &*text), "chain index {}", top_chain);
  VERIFIED_ASSIGN_OR_WRAP(nlohmann::json j, ParseJson(*text, "chain index"), "chain index {}",
                          top_chain);
  auto it = j.is_object() ? j.find("names") : j.end();
  if (it == j.end() || !it->is_array() || it->size() > kMaxNamesPerChain) {
    return MakeError(ErrorKind::kParse, "chain index {} is malformed", top_chain);
  }
  for (const auto& n : *it) {
    if (!n.is_string()) return MakeError(ErrorKind::kParse, "chain index {}: bad name", top_chain);
    names.push_back(n.get<std::string>());
  }
  return names;
}

Status RegistrationStore::WriteChainNames(const std::string& top_chain,
                                          const std::vector<std::string>& names) const {
  if (names.empty()) return RemoveFileDurable(ChainPath(top_chain));
  return WriteFileAtomic(ChainPath(top_chain), nlohmann::json{{"names", names}}.dump() + "\n");
}

Result<std::vector<Registration>> RegistrationStore::FindByChain(
    const std::string& top_chain) const {
  std::vector<Registration> out;
  if (top_chain.empty()) return out;
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names, ReadChainNames(top_chain));
  for (const auto& name : names) {
    VERIFIED_ASSIGN_OR_RETURN(std::optional<Registration> r, FindByName(name));
    // The index may briefly name a registration a concurrent writer just replaced; only
    // records whose chain really matches count.
    if (r && r->TopChainId() == top_chain) out.push_back(std::move(*r));
  }
  return out;
}

Status RegistrationStore::Put(const Registration& r) const {
  VERIFIED_RETURN_IF_ERROR(EnsureDirs());
  VERIFIED_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(dir_ + "/.lock"));
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Registration> old, FindByName(r.name));
  if (old && old->TopChainId() != r.TopChainId() && !old->TopChainId().empty()) {
    VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names, ReadChainNames(old->TopChainId()));
    names.erase(std::remove(names.begin(), names.end(), r.name), names.end());
    VERIFIED_RETURN_IF_ERROR(WriteChainNames(old->TopChainId(), names));
  }
  VERIFIED_RETURN_IF_ERROR(WriteFileAtomic(NamePath(r.name), RegistrationToJson(r).dump(2) + "\n"));
  if (!r.TopChainId().empty()) {
    VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names, ReadChainNames(r.TopChainId()));
    if (std::find(names.begin(), names.end(), r.name) == names.end()) {
      if (names.size() >= kMaxNamesPerChain) {
        return MakeError(ErrorKind::kTooLarge, "chain {} already has {} names", r.TopChainId(),
                         names.size());
      }
      names.push_back(r.name);
      std::sort(names.begin(), names.end());
      VERIFIED_RETURN_IF_ERROR(WriteChainNames(r.TopChainId(), names));
    }
  }
  return Ok();
}

Result<bool> RegistrationStore::Remove(const std::string& name) const {
  VERIFIED_RETURN_IF_ERROR(EnsureDirs());
  VERIFIED_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(dir_ + "/.lock"));
  VERIFIED_ASSIGN_OR_RETURN(std::optional<Registration> old, FindByName(name));
  if (!old) return false;
  if (!old->TopChainId().empty()) {
    VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names, ReadChainNames(old->TopChainId()));
    names.erase(std::remove(names.begin(), names.end(), name), names.end());
    VERIFIED_RETURN_IF_ERROR(WriteChainNames(old->TopChainId(), names));
  }
  VERIFIED_RETURN_IF_ERROR(RemoveFileDurable(NamePath(name)));
  return true;
}

namespace {

// One record of a listing, opened beneath the index dir (no symlink) and judged on its fd.
Result<std::string> ReadListed(const Dir& dir, const std::string& file) {
  VERIFIED_ASSIGN_OR_RETURN(int fd, dir.OpenFile(file));
  auto text = ReadTrustedFd(fd, dir.path() + "/" + file, kMaxRegistrationBytes);
  close(fd);
  return text;
}

}  // namespace

Result<std::vector<Registration>> RegistrationStore::List() const {
  std::vector<Registration> out;
  Status dirs = CheckDirs("by-name");
  if (!dirs.ok()) {
    if (dirs.error().kind() == ErrorKind::kNotFound) return out;
    return std::move(dirs).error();
  }
  VERIFIED_ASSIGN_OR_RETURN(Dir dir, Dir::Open(dir_ + "/images/by-name"));
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> files, dir.List("", 1u << 24));
  for (const auto& f : files) {
    if (f.size() != 69 || f.compare(64, 5, ".json") != 0) continue;  // temp files, strays
    VERIFIED_ASSIGN_OR_RETURN(std::string text, ReadListed(dir, f));
    VERIFIED_ASSIGN_OR_WRAP(nlohmann::json j, ParseJson(text, f), "registration {}", f);
    VERIFIED_ASSIGN_OR_WRAP(Registration r, RegistrationFromJson(j), "registration {}", f);
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(),
            [](const Registration& a, const Registration& b) { return a.name < b.name; });
  return out;
}

}  // namespace verified
