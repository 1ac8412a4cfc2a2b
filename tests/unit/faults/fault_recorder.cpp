#include "unit/faults/fault_recorder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

namespace verified::testing {
namespace {

std::string Normalise(std::string s, const std::string& tmp) {
  if (!tmp.empty()) {
    for (size_t at = s.find(tmp); at != std::string::npos; at = s.find(tmp, at)) {
      s.replace(at, tmp.size(), "<tmp>");
    }
  }
  // Newlines would break the table's rows; other control bytes (a NUL in a container id)
  // are shown escaped, so the row is text.
  std::string out;
  for (char c : s) {
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  s = std::move(out);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

const char* FaultOutcomeName(FaultOutcome o) {
  switch (o) {
    case FaultOutcome::kDeny:
      return "deny";
    case FaultOutcome::kError:
      return "error";
    case FaultOutcome::kRefused:
      return "refused";
    case FaultOutcome::kIntact:
      return "intact";
    case FaultOutcome::kAllowed:
      break;
  }
  return "allowed";
}

void RecordFault(const std::string& area, const std::string& fault, FaultOutcome outcome,
                 const std::string& message, const std::string& tmp) {
  std::string observed = Normalise(message, tmp);
  EXPECT_NE(outcome, FaultOutcome::kAllowed) << area << ": " << fault << ": " << observed;
  EXPECT_FALSE(observed.empty()) << area << ": " << fault << ": no message observed";
  const char* out = std::getenv("VERIFIED_FAULTS_OUT");
  if (out == nullptr || *out == '\0') return;
  nlohmann::ordered_json row = {{"area", area},
                                {"fault", fault},
                                {"outcome", FaultOutcomeName(outcome)},
                                {"message", observed}};
  std::ofstream f(out, std::ios::app);
  f << row.dump() << "\n";
  f.flush();
  EXPECT_TRUE(f.good()) << "cannot append to $VERIFIED_FAULTS_OUT " << out;
}

}  // namespace verified::testing
