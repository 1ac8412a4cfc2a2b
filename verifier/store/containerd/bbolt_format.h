// The bbolt (boltdb) on-disk format, as written by go.etcd.io/bbolt: constants, the meta page
// and the node (branch/leaf) pages, decoded from bytes with every offset bounds-checked.
//
// Learned from bbolt's internal/common/{page,meta,bucket}.go and node.go; this is our own
// reader. All integers are little-endian (bbolt writes native order; every platform containerd
// ships for is little-endian, and this build refuses to compile elsewhere).
//
//   page   = id u64 | flags u16 | count u16 | overflow u32 | data...   (16-byte header)
//   meta   = magic u32 | version u32 | pageSize u32 | flags u32 | root {pgid u64, seq u64} |
//            freelist u64 | pgid u64 (high water mark) | txid u64 | checksum u64
//            checksum = FNV-1a 64 over the 56 bytes before it
//   branch element = pos u32 | ksize u32 | pgid u64            (pos relative to the element)
//   leaf element   = flags u32 | pos u32 | ksize u32 | vsize u32 (flags&1: value is a bucket)
//   bucket value   = root u64 | sequence u64 [| inline leaf page when root == 0]
#pragma once

#include <bit>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"

namespace verified::bbolt {

static_assert(std::endian::native == std::endian::little,
              "the bbolt reader decodes little-endian files only");

inline constexpr uint32_t kMagic = 0xED0CDAED;
inline constexpr uint32_t kVersion = 2;
inline constexpr size_t kPageHeaderSize = 16;
inline constexpr size_t kMetaBytes = 64;         ///< meta struct including the checksum
inline constexpr size_t kMetaChecksummed = 56;   ///< bytes the checksum covers
inline constexpr size_t kElementSize = 16;       ///< branch and leaf elements
inline constexpr size_t kBucketHeaderSize = 16;  ///< root pgid + sequence
inline constexpr uint16_t kBranchPageFlag = 0x01;
inline constexpr uint16_t kLeafPageFlag = 0x02;
inline constexpr uint16_t kMetaPageFlag = 0x04;
inline constexpr uint32_t kBucketLeafFlag = 0x01;

/// Smallest and largest page size accepted (bbolt uses the OS page size: 4 KiB, 16 KiB on some
/// arm64 kernels, 64 KiB on ppc64le).
inline constexpr uint32_t kMinPageSize = 512;
inline constexpr uint32_t kMaxPageSize = 1u << 16;

/// FNV-1a, 64-bit (Go's hash/fnv New64a), bbolt's meta checksum.
uint64_t Fnv1a64(std::string_view bytes);

/// Reads a little-endian integer at `off`; the caller has checked the bounds.
uint16_t Le16(std::string_view b, size_t off);
uint32_t Le32(std::string_view b, size_t off);
uint64_t Le64(std::string_view b, size_t off);

/// The 16-byte page header.
struct PageHeader {
  uint64_t id = 0;
  uint16_t flags = 0;
  uint16_t count = 0;
  uint32_t overflow = 0;
};

/// Decodes a page header; kParse when fewer than 16 bytes are given.
Result<PageHeader> ParsePageHeader(std::string_view page);

/// A validated meta page.
struct Meta {
  uint32_t page_size = 0;
  uint32_t flags = 0;
  uint64_t root = 0;      ///< root bucket's page
  uint64_t freelist = 0;  ///< freelist page (or all ones: not persisted)
  uint64_t pgid = 0;      ///< high water mark: every page id is below it
  uint64_t txid = 0;
  uint64_t checksum = 0;

  bool operator==(const Meta&) const = default;
};

/// Decodes and validates the meta page stored at page index `index` (0 or 1): page header id
/// == index and flags == meta, magic, version 2, FNV-1a checksum, a page size within limits
/// and a root page below the high water mark. kParse for a short buffer, kIntegrity for
/// anything that fails validation (a torn or foreign page).
Result<Meta> ParseMeta(std::string_view page, uint64_t index);

/// One element of a branch or leaf page. Views point into the page bytes.
struct Element {
  std::string_view key;
  std::string_view value;  ///< leaf only
  uint64_t child = 0;      ///< branch only: the child page id
  bool is_bucket = false;  ///< leaf only: value is a bucket header (+ inline page)
};

/// A decoded branch or leaf page.
struct Node {
  bool leaf = false;
  std::vector<Element> elements;
};

/// Decodes a branch or leaf page held in `bytes` (the whole run, header included, overflow
/// pages too). `expected_id` is checked against the header unless it is nullopt (inline
/// pages carry id 0). Checks: flags is exactly branch or leaf, the element array and every
/// key/value lie inside `bytes`, keys are non-empty and strictly increasing, branch pages are
/// not empty. kIntegrity names the page and the first violation.
Result<Node> ParseNode(std::string_view bytes, std::optional<uint64_t> expected_id);

}  // namespace verified::bbolt
