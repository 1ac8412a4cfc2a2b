// Fuzz target: the strict config.json loader (verifier/bundle/spec.h ParseSpec, which runs
// CheckGoJsonKeys first). Property: whenever the loader accepts a document, an independent
// check over nlohmann's own parse (a parser callback, which sees every key before duplicates
// collapse) finds no object with two keys that Go's encoding/json would decode as one, and no
// NUL in any key or string. A violation aborts, which the fuzz driver reports as a crash.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/bundle/spec.h"

namespace {

// Independent of GoFoldKey: decode UTF-8 to code points, map the two runes whose case orbit
// holds an ASCII letter (U+212A -> k, U+017F -> s) and lower ASCII, re-encode as a u32string.
std::u32string Fold(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    char32_t r = c;
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n > 1 && i + n <= s.size()) {
      r = c & (0xFF >> (n + 1));
      for (size_t k = 1; k < n; ++k) r = (r << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    } else {
      n = 1;
    }
    if (r == 0x212A) r = U'k';
    if (r == 0x17F) r = U's';
    if (r >= U'A' && r <= U'Z') r = r - U'A' + U'a';
    out.push_back(r);
    i += n;
  }
  return out;
}

bool HasNul(const std::string& s) { return s.find('\0') != std::string::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto spec = verified::ParseSpec(text);
  if (!spec.ok()) return 0;
  std::vector<std::set<std::u32string>> objects;  // one key set per open object or array
  auto check = [&](int, nlohmann::json::parse_event_t ev, nlohmann::json& j) {
    using E = nlohmann::json::parse_event_t;
    if (ev == E::object_start || ev == E::array_start) objects.emplace_back();
    if (ev == E::object_end || ev == E::array_end) objects.pop_back();
    if (ev == E::key) {
      const auto& k = j.get_ref<const std::string&>();
      if (HasNul(k) || !objects.back().insert(Fold(k)).second) abort();
    }
    if (ev == E::value && j.is_string() && HasNul(j.get_ref<const std::string&>())) abort();
    return true;
  };
  try {
    nlohmann::json parsed = nlohmann::json::parse(text.begin(), text.end(), check);
    (void)parsed;
  } catch (const nlohmann::json::exception&) {
    abort();  // the loader accepted what nlohmann cannot parse
  }
  return 0;
}
