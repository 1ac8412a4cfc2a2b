// Fuzz target: the strict config.json loader (verifier/bundle/spec.h ParseSpec, which runs
// ParseJsonAsGo, checking keys on the parser callback's events). Property: whenever the loader
// accepts a document, an independent check over nlohmann's SAX events (which see every key
// before duplicates collapse) finds no object with two keys that Go's encoding/json would
// decode as one, and no NUL in any key or string. A violation aborts, which the fuzz driver
// reports as a crash.
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

// SAX handler: one key set per open object or array; any violation aborts.
struct Independent {
  using json = nlohmann::json;
  std::vector<std::set<std::u32string>> open;
  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(json::number_integer_t) { return true; }
  bool number_unsigned(json::number_unsigned_t) { return true; }
  bool number_float(json::number_float_t, const json::string_t&) { return true; }
  bool binary(json::binary_t&) { return true; }
  bool string(json::string_t& s) {
    if (HasNul(s)) abort();
    return true;
  }
  bool start_object(std::size_t) { return Push(); }
  bool start_array(std::size_t) { return Push(); }
  bool end_object() { return Pop(); }
  bool end_array() { return Pop(); }
  bool key(json::string_t& k) {
    if (HasNul(k) || !open.back().insert(Fold(k)).second) abort();
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    abort();  // the loader accepted what nlohmann cannot parse
  }
  bool Push() {
    open.emplace_back();
    return true;
  }
  bool Pop() {
    open.pop_back();
    return true;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto spec = verified::ParseSpec(text);
  if (!spec.ok()) return 0;
  Independent check;
  if (!nlohmann::json::sax_parse(text.begin(), text.end(), &check)) abort();
  return 0;
}
