// bolt_dump FILE: prints a bbolt file as JSON through verified's own reader (test tool).
// Buckets become objects; values become strings when printable ASCII, else {"hex": "..."}.
// A debugging aid: shows what the reader makes of a metadata.db or meta.db, e.g. a torn one.
#include <fcntl.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "verifier/store/containerd/bbolt.h"

namespace {

using verified::Result;
using verified::Status;
namespace bbolt = verified::bbolt;

nlohmann::json ValueJson(std::string_view v) {
  bool printable = true;
  for (unsigned char c : v) printable = printable && c >= 0x20 && c < 0x7f;
  if (printable) return std::string(v);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : v) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  return nlohmann::json{{"hex", hex}};
}

Result<nlohmann::json> DumpBucket(bbolt::Tx& tx, const bbolt::Bucket& b) {
  nlohmann::json out = nlohmann::json::object();
  Status st = tx.ForEach(b, [&](const bbolt::Entry& e) -> Status {
    std::string key(e.key);
    if (!e.is_bucket) {
      out[key] = ValueJson(e.value);
      return verified::Ok();
    }
    VERIFIED_ASSIGN_OR_RETURN(bbolt::Bucket child, tx.OpenBucket(e));
    VERIFIED_ASSIGN_OR_RETURN(out[key], DumpBucket(tx, child));
    return verified::Ok();
  });
  if (!st.ok()) return std::move(st).error();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bolt_dump FILE\n");
    return 2;
  }
  int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::perror(argv[1]);
    return 2;
  }
  bbolt::Db db = bbolt::Db::FromFd(fd, argv[1]);
  auto dump = db.View<nlohmann::json>([](bbolt::Tx& tx) -> Result<nlohmann::json> {
    VERIFIED_ASSIGN_OR_RETURN(nlohmann::json j, DumpBucket(tx, tx.Root()));
    return nlohmann::json{
        {"txid", tx.meta().txid}, {"page_size", tx.meta().page_size}, {"root", j}};
  });
  if (!dump.ok()) {
    std::fprintf(stderr, "bolt_dump: %s\n", dump.error().What().c_str());
    return 1;
  }
  std::printf("%s\n", dump->dump(1).c_str());
  return 0;
}
