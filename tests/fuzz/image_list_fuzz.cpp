// Fuzz target: the audit's whitelist/blacklist file (ctl/image_list.h), parsed and matched
// against a few names.
#include <cstdint>
#include <string_view>

#include "ctl/image_list.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto list = verified::ctl::ParseImageList(text);
  if (!list.ok()) return 0;
  static const std::vector<verified::Reference> names = [] {
    std::vector<verified::Reference> v;
    for (const char* n : {"my_company/nginx:1.2", "python:3.7-alpine3.10", "evil.io/x/y:latest"}) {
      v.push_back(*verified::ParseReference(n));
    }
    return v;
  }();
  (void)verified::ctl::MatchImageList(*list, names);
  return 0;
}
