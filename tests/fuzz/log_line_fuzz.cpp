// Fuzz target: the runtime's log lines (shim/logrus_format.h) for any message bytes. Messages
// carry names from engine storage (image references, container ids, paths), so whatever they
// hold, a line must stay one line the engines can decode: JSON that parses, text without a
// control character.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "shim/logrus_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace verified::logging;
  std::string_view msg(reinterpret_cast<const char*>(data), size);
  auto t = std::chrono::system_clock::now();
  std::string json = FormatLogrusLine(LogLevel::kError, msg, t, LogFormat::kJson);
  std::string text = FormatLogrusLine(LogLevel::kDebug, msg, t, LogFormat::kText);
  for (const std::string* line : {&json, &text}) {
    if (line->find('\n') != line->size() - 1) abort();
    for (char c : line->substr(0, line->size() - 1)) {
      if (static_cast<unsigned char>(c) < 0x20) abort();
    }
  }
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j["msg"].is_string()) abort();
  // Valid UTF-8 decodes back unchanged (nlohmann's dump() throws on invalid UTF-8).
  bool valid_utf8 = true;
  try {
    (void)nlohmann::json(std::string(msg)).dump();
  } catch (const nlohmann::json::type_error&) {
    valid_utf8 = false;
  }
  if (valid_utf8 && j["msg"] != std::string(msg)) abort();
  return 0;
}
