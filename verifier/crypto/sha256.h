// SHA-256 from OpenSSL's libcrypto (its assembly uses SHA-NI where the CPU has it).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace verified {

/// Streaming SHA-256. Not copyable; Reset() makes it reusable.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  /// Adds bytes to the running hash.
  void Update(const void* data, size_t len);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  /// Adds "<decimal length>:" then `data`: hashing several fields this way, no two different
  /// field lists give the same byte stream (the cache-key names of the signature and
  /// attestation caches).
  void UpdateLengthPrefixed(std::string_view data) {
    Update(std::to_string(data.size()) + ":");
    Update(data);
  }
  /// Returns the 64-character lowercase hex digest and resets the state.
  std::string FinalHex();
  /// Starts a new hash.
  void Reset();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

/// "sha256:" + Sha256Hex(data): the OCI digest of a blob.
std::string Sha256Digest(std::string_view data);

}  // namespace verified
