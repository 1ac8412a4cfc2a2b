// CRC-64/ISO as tar-split records it for each file payload (Go's hash/crc64 with the ISO
// table, big-endian sum). Not a security check: it only names the file that differs once the
// SHA-256 of the whole layer has already failed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace verified::content {

/// Streaming CRC-64/ISO.
class Crc64 {
 public:
  void Update(const void* data, size_t len);
  /// The 8-byte big-endian sum, as stored in a tar-split file entry's payload.
  std::string Sum() const;
  void Reset() { crc_ = 0; }

 private:
  uint64_t crc_ = 0;
};

}  // namespace verified::content
