// Test-only bbolt file builder: lays out a bucket tree as bbolt pages (meta pages 0/1, an empty
// freelist, one leaf page per bucket or a branch over several leaves, inline buckets when bbolt
// would inline them, overflow runs for large nodes). Used to build synthetic stores (Docker's
// containerd store, which dockerd 20.10 cannot create) and malformed files for the reader.
// Real containerd files are tested too (fixture_test.cpp); this writer is never the only proof.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "verifier/store/containerd/bbolt_format.h"

namespace verified::testing {

/// A bucket: keys to values or nested buckets.
struct BoltTree {
  std::map<std::string, std::variant<std::string, std::shared_ptr<BoltTree>>> items;

  BoltTree& Bucket(const std::string& k) {
    auto& v = items[k];
    if (!std::holds_alternative<std::shared_ptr<BoltTree>>(v)) v = std::make_shared<BoltTree>();
    return *std::get<std::shared_ptr<BoltTree>>(v);
  }
  BoltTree& Put(const std::string& k, std::string v) {
    items[k] = std::move(v);
    return *this;
  }
  /// Bucket at a '/'-free path of names.
  BoltTree& Path(std::initializer_list<std::string> names) {
    BoltTree* cur = this;
    for (const auto& n : names) cur = &cur->Bucket(n);
    return *cur;
  }
};

/// Layout options.
struct BoltLayout {
  uint32_t page_size = 4096;
  size_t max_leaf_keys = 0;  ///< >0: split buckets with more keys into leaves under a branch
  bool allow_inline = true;
  uint64_t txid = 7;
  uint64_t first_page = 3;  ///< first data page (pages below it stay zero)
};

class BoltWriter {
 public:
  explicit BoltWriter(BoltLayout layout = {}) : l_(layout) {}

  std::string Build(const BoltTree& root) {
    pages_.assign(l_.first_page * l_.page_size, '\0');
    next_ = l_.first_page;
    // page 2: an empty freelist
    PutHeader(2, 0x10, 0, 0);
    std::string root_value = WriteBucket(root, /*top=*/true);
    uint64_t root_page = bbolt::Le64(root_value, 0);
    for (uint64_t i = 0; i < 2; ++i) WriteMeta(i, root_page, l_.txid - (l_.txid % 2 == i ? 0 : 1));
    return pages_;
  }

  /// Overwrites meta page `index` with one for `root`/`txid` (txid % 2 should be index).
  static void SetMeta(std::string& file, uint32_t page_size, uint64_t index, uint64_t root,
                      uint64_t hwm, uint64_t txid) {
    std::string m(bbolt::kMetaBytes, '\0');
    Store32(m, 0, bbolt::kMagic);
    Store32(m, 4, bbolt::kVersion);
    Store32(m, 8, page_size);
    Store64(m, 16, root);
    Store64(m, 32, 2);
    Store64(m, 40, hwm);
    Store64(m, 48, txid);
    Store64(m, 56, bbolt::Fnv1a64(std::string_view(m).substr(0, bbolt::kMetaChecksummed)));
    size_t at = index * page_size;
    std::string h(bbolt::kPageHeaderSize, '\0');
    Store64(h, 0, index);
    Store16(h, 8, bbolt::kMetaPageFlag);
    file.replace(at, h.size(), h);
    file.replace(at + h.size(), m.size(), m);
  }

  uint64_t high_water_mark() const { return next_; }

  static void Store16(std::string& b, size_t at, uint16_t v) { std::memcpy(&b[at], &v, 2); }
  static void Store32(std::string& b, size_t at, uint32_t v) { std::memcpy(&b[at], &v, 4); }
  static void Store64(std::string& b, size_t at, uint64_t v) { std::memcpy(&b[at], &v, 8); }

 private:
  struct Item {
    std::string key, value;
    bool bucket = false;
  };

  void PutHeader(uint64_t id, uint16_t flags, uint16_t count, uint32_t overflow) {
    size_t at = id * l_.page_size;
    Store64(pages_, at, id);
    Store16(pages_, at + 8, flags);
    Store16(pages_, at + 10, count);
    Store32(pages_, at + 12, overflow);
  }

  // Encodes a node (header + elements + data) the way WriteInodeToPage does.
  static std::string EncodeNode(bool leaf, const std::vector<Item>& items,
                                const std::vector<uint64_t>& children, uint64_t id) {
    size_t n = items.size();
    std::string b(bbolt::kPageHeaderSize + n * bbolt::kElementSize, '\0');
    Store64(b, 0, id);
    Store16(b, 8, leaf ? bbolt::kLeafPageFlag : bbolt::kBranchPageFlag);
    Store16(b, 10, static_cast<uint16_t>(n));
    for (size_t i = 0; i < n; ++i) {
      size_t el = bbolt::kPageHeaderSize + i * bbolt::kElementSize;
      auto pos = static_cast<uint32_t>(b.size() - el);
      if (leaf) {
        Store32(b, el, items[i].bucket ? bbolt::kBucketLeafFlag : 0);
        Store32(b, el + 4, pos);
        Store32(b, el + 8, static_cast<uint32_t>(items[i].key.size()));
        Store32(b, el + 12, static_cast<uint32_t>(items[i].value.size()));
        b += items[i].key + items[i].value;
      } else {
        Store32(b, el, pos);
        Store32(b, el + 4, static_cast<uint32_t>(items[i].key.size()));
        Store64(b, el + 8, children[i]);
        b += items[i].key;
      }
    }
    return b;
  }

  uint64_t Place(std::string node) {
    uint64_t id = next_;
    uint64_t npages = (node.size() + l_.page_size - 1) / l_.page_size;
    next_ += npages;
    pages_.resize(next_ * l_.page_size, '\0');
    Store64(node, 0, id);
    Store32(node, 12, static_cast<uint32_t>(npages - 1));
    pages_.replace(id * l_.page_size, node.size(), node);
    return id;
  }

  std::string WriteBucket(const BoltTree& t, bool top = false) {
    std::vector<Item> items;
    bool has_sub = false;
    for (const auto& [k, v] : t.items) {
      if (std::holds_alternative<std::string>(v)) {
        items.push_back({k, std::get<std::string>(v), false});
      } else {
        has_sub = true;
        items.push_back({k, WriteBucket(*std::get<std::shared_ptr<BoltTree>>(v)), true});
      }
    }
    std::string header(bbolt::kBucketHeaderSize, '\0');
    std::string leaf = EncodeNode(true, items, {}, 0);
    if (!top && l_.allow_inline && !has_sub && leaf.size() < l_.page_size / 4) {
      return header + leaf;  // bucket.go inlineable(): root 0, page follows the header
    }
    uint64_t root;
    if (l_.max_leaf_keys == 0 || items.size() <= l_.max_leaf_keys) {
      root = Place(leaf);
    } else {
      std::vector<Item> firsts;
      std::vector<uint64_t> kids;
      for (size_t i = 0; i < items.size(); i += l_.max_leaf_keys) {
        std::vector<Item> part(
            items.begin() + static_cast<long>(i),
            items.begin() + static_cast<long>(std::min(items.size(), i + l_.max_leaf_keys)));
        firsts.push_back({part.front().key, "", false});
        kids.push_back(Place(EncodeNode(true, part, {}, 0)));
      }
      root = Place(EncodeNode(false, firsts, kids, 0));
    }
    Store64(header, 0, root);
    return header;
  }

  void WriteMeta(uint64_t index, uint64_t root, uint64_t txid) {
    SetMeta(pages_, l_.page_size, index, root, next_, txid);
  }

  BoltLayout l_;
  std::string pages_;
  uint64_t next_ = 3;
};

}  // namespace verified::testing
