// What a signed policy says of the files it covers, asked one path at a time: a create decision
// reads a handful of registration files and checks each against the signed statement as it
// reads it (registration_store.h), so it never needs the statement's whole file list.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "verifier/core/result.h"

namespace verified {

/// The signed statement's file list, looked up by path.
class SignedFileLookup {
 public:
  virtual ~SignedFileLookup() = default;

  /// The "sha256:<hex>" the signed statement lists for `path` (relative to the config dir,
  /// "images/by-name/<x>.json"), nullopt when it lists none. An error when the answer cannot
  /// be known (a cache found corrupt and the statement it stood for no longer there): the
  /// caller fails closed.
  virtual Result<std::optional<std::string>> Find(const std::string& path) const = 0;
};

/// A lookup over a parsed statement's map (its own copy).
class MapFileLookup : public SignedFileLookup {
 public:
  explicit MapFileLookup(std::map<std::string, std::string> files) : files_(std::move(files)) {}
  Result<std::optional<std::string>> Find(const std::string& path) const override {
    auto it = files_.find(path);
    if (it == files_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }

 private:
  const std::map<std::string, std::string> files_;
};

}  // namespace verified
