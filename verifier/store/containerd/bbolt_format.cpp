#include "verifier/store/containerd/bbolt_format.h"

#include <cstring>

namespace verified::bbolt {
namespace {

template <typename T>
T LoadLe(std::string_view b, size_t off) {
  T v;
  std::memcpy(&v, b.data() + off, sizeof(T));  // unaligned-safe; little-endian asserted
  return v;
}

}  // namespace

uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t h = 14695981039346656037ull;  // Go hash/fnv offset64
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;  // prime64
  }
  return h;
}

uint16_t Le16(std::string_view b, size_t off) { return LoadLe<uint16_t>(b, off); }
uint32_t Le32(std::string_view b, size_t off) { return LoadLe<uint32_t>(b, off); }
uint64_t Le64(std::string_view b, size_t off) { return LoadLe<uint64_t>(b, off); }

Result<PageHeader> ParsePageHeader(std::string_view page) {
  if (page.size() < kPageHeaderSize) {
    return MakeError(ErrorKind::kParse, "page of {} bytes is shorter than its header", page.size());
  }
  return PageHeader{Le64(page, 0), Le16(page, 8), Le16(page, 10), Le32(page, 12)};
}

Result<Meta> ParseMeta(std::string_view page, uint64_t index) {
  if (page.size() < kPageHeaderSize + kMetaBytes) {
    return MakeError(ErrorKind::kParse, "meta page {}: only {} bytes", index, page.size());
  }
  VERIFIED_ASSIGN_OR_RETURN(PageHeader h, ParsePageHeader(page));
  std::string_view m = page.substr(kPageHeaderSize, kMetaBytes);
  // bbolt's Meta.Validate: magic, then version, then checksum (tx.writeMeta sets the header
  // id to txid % 2 and the flags to meta; a page without them was never a meta page).
  if (Le32(m, 0) != kMagic) {
    return MakeError(ErrorKind::kIntegrity, "meta page {}: not a bbolt file (bad magic)", index);
  }
  if (Le32(m, 4) != kVersion) {
    return MakeError(ErrorKind::kIntegrity, "meta page {}: unsupported bbolt version {}", index,
                     Le32(m, 4));
  }
  Meta meta;
  meta.checksum = Le64(m, kMetaChecksummed);
  if (Fnv1a64(m.substr(0, kMetaChecksummed)) != meta.checksum) {
    return MakeError(ErrorKind::kIntegrity, "meta page {}: checksum mismatch (torn write?)", index);
  }
  if (h.id != index || h.flags != kMetaPageFlag) {
    return MakeError(ErrorKind::kIntegrity, "meta page {}: header says page {} flags {:#x}", index,
                     h.id, h.flags);
  }
  meta.page_size = Le32(m, 8);
  meta.flags = Le32(m, 12);
  meta.root = Le64(m, 16);
  meta.freelist = Le64(m, 32);
  meta.pgid = Le64(m, 40);
  meta.txid = Le64(m, 48);
  if (meta.page_size < kMinPageSize || meta.page_size > kMaxPageSize ||
      !std::has_single_bit(meta.page_size)) {
    return MakeError(ErrorKind::kIntegrity, "meta page {}: unsupported page size {}", index,
                     meta.page_size);
  }
  if (meta.root < 2 || meta.root >= meta.pgid) {
    return MakeError(ErrorKind::kIntegrity,
                     "meta page {}: root page {} outside the data pages (high water mark {})",
                     index, meta.root, meta.pgid);
  }
  return meta;
}

namespace {

Status CheckOrder(const std::vector<Element>& elems, size_t i, uint64_t id) {
  if (elems[i].key.empty()) {
    return MakeError(ErrorKind::kIntegrity, "page {}: element {} has an empty key", id, i);
  }
  if (i > 0 && !(elems[i - 1].key < elems[i].key)) {
    return MakeError(ErrorKind::kIntegrity, "page {}: keys out of order at element {}", id, i);
  }
  return Ok();
}

}  // namespace

Result<Node> ParseNode(std::string_view bytes, std::optional<uint64_t> expected_id) {
  VERIFIED_ASSIGN_OR_RETURN(PageHeader h, ParsePageHeader(bytes));
  uint64_t id = expected_id.value_or(0);
  if (expected_id && h.id != *expected_id) {
    return MakeError(ErrorKind::kIntegrity, "page {} identifies itself as page {}", id, h.id);
  }
  Node node;
  if (h.flags == kLeafPageFlag) {
    node.leaf = true;
  } else if (h.flags != kBranchPageFlag) {
    return MakeError(ErrorKind::kIntegrity, "page {} has flags {:#x}, not a branch or leaf page",
                     id, h.flags);
  }
  if (!node.leaf && h.count == 0) {
    return MakeError(ErrorKind::kIntegrity, "branch page {} has no elements", id);
  }
  // 64-bit arithmetic throughout: count <= 65535 and every field is 32-bit, so no sum wraps.
  const uint64_t size = bytes.size();
  if (kPageHeaderSize + uint64_t{h.count} * kElementSize > size) {
    return MakeError(ErrorKind::kIntegrity, "page {}: {} elements do not fit in {} bytes", id,
                     h.count, size);
  }
  node.elements.resize(h.count);
  for (size_t i = 0; i < h.count; ++i) {
    uint64_t at = kPageHeaderSize + i * kElementSize;
    Element& e = node.elements[i];
    uint64_t pos, ksize, vsize = 0;
    if (node.leaf) {
      uint32_t flags = Le32(bytes, at);
      pos = Le32(bytes, at + 4);
      ksize = Le32(bytes, at + 8);
      vsize = Le32(bytes, at + 12);
      if ((flags & ~kBucketLeafFlag) != 0) {
        return MakeError(ErrorKind::kIntegrity, "page {}: element {} has flags {:#x}", id, i,
                         flags);
      }
      e.is_bucket = (flags & kBucketLeafFlag) != 0;
    } else {
      pos = Le32(bytes, at);
      ksize = Le32(bytes, at + 4);
      e.child = Le64(bytes, at + 8);
    }
    // Key and value follow the element array; pos is relative to the element itself.
    uint64_t start = at + pos;
    if (start < kPageHeaderSize + uint64_t{h.count} * kElementSize ||
        start + ksize + vsize > size) {
      return MakeError(ErrorKind::kIntegrity, "page {}: element {} points outside the page", id, i);
    }
    e.key = bytes.substr(start, ksize);
    e.value = bytes.substr(start + ksize, vsize);
    VERIFIED_RETURN_IF_ERROR(CheckOrder(node.elements, i, id));
  }
  return node;
}

}  // namespace verified::bbolt
