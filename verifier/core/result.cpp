#include "verifier/core/result.h"

namespace verified {

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument:
      return "invalid-argument";
    case ErrorKind::kNotFound:
      return "not-found";
    case ErrorKind::kIo:
      return "io";
    case ErrorKind::kParse:
      return "parse";
    case ErrorKind::kTooLarge:
      return "too-large";
    case ErrorKind::kUnsafePath:
      return "unsafe-path";
    case ErrorKind::kIntegrity:
      return "integrity";
    case ErrorKind::kInconsistent:
      return "inconsistent";
    case ErrorKind::kUnsupported:
      return "unsupported";
    case ErrorKind::kPermission:
      return "permission";
    case ErrorKind::kInternal:
      return "internal";
  }
  return "internal";
}

std::string Error::What() const {
  std::string out;
  // Frames were appended innermost-first while unwinding; print outermost first.
  for (auto it = context_.rbegin(); it != context_.rend(); ++it) {
    out += *it;
    out += ": ";
  }
  out += message_;
  return out;
}

}  // namespace verified
