// Result<T>: the verifier library's only way to report failure.
//
// Modelled on crun's libcrun_error_t: an error is created where the failure happens
// (MakeError, with a kind from a closed set and a message naming the thing that failed) and
// gains context on the way up (Wrap), so the final text reads outermost-first:
//   "docker store: layer sha256:ab..: read cache-id: file is larger than 4096 bytes".
// The library never throws across its API, never exits and never logs.
#pragma once

#include <fmt/format.h>

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace verified {

/// The closed set of failure kinds. Callers branch on the kind, never on message text.
enum class ErrorKind {
  kInvalidArgument,  ///< a caller-supplied value is malformed (argv, reference, option)
  kNotFound,         ///< a file, image, container or registration does not exist
  kIo,               ///< a system call failed for another reason
  kParse,            ///< bytes are not valid JSON / gzip / tar-split / policy syntax
  kTooLarge,         ///< input exceeds a size, depth or count limit
  kUnsafePath,       ///< a path escapes its root (`..`, absolute, symlink out)
  kIntegrity,        ///< a digest does not match the bytes it names
  kInconsistent,     ///< two sources of truth disagree (store vs mount, ids vs files)
  kUnsupported,      ///< a layout or version this build does not understand
  kPermission,       ///< ownership/mode of a trusted file is unsafe
  kInternal,         ///< a bug; should never happen
};

/// Short stable name of a kind ("not-found", "integrity", ...), used in logs and JSON.
const char* ErrorKindName(ErrorKind kind);

/// An error: its kind, the innermost message and the context frames added by Wrap.
class Error {
 public:
  Error(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

  ErrorKind kind() const { return kind_; }
  /// The innermost message, without context.
  const std::string& message() const { return message_; }
  /// Adds a context frame (outermost frames are added last).
  Error& AddContext(std::string context) {
    context_.push_back(std::move(context));
    return *this;
  }
  /// Full text: context frames outermost first, then the message, joined by ": ".
  std::string What() const;

 private:
  ErrorKind kind_;
  std::string message_;
  std::vector<std::string> context_;
};

/// Creates an error of `kind` with a fmt-formatted message.
template <typename... Args>
Error MakeError(ErrorKind kind, fmt::format_string<Args...> format, Args&&... args) {
  return Error(kind, fmt::format(format, std::forward<Args>(args)...));
}

/// Either a value of type T or an Error. Never both, never neither.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT(runtime/explicit)
  Result(Error error) : data_(std::move(error)) {}  // NOLINT(runtime/explicit)

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  /// The value; calling this on an error is a bug (checked by std::get).
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  /// The error; calling this on a value is a bug.
  const Error& error() const& { return std::get<Error>(data_); }
  Error&& error() && { return std::get<Error>(std::move(data_)); }

 private:
  std::variant<T, Error> data_;
};

/// Result of an operation with no value.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT(runtime/explicit)

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_{ErrorKind::kInternal, ""};
  bool failed_ = false;
};

using Status = Result<void>;

/// Success value for Status-returning functions.
inline Status Ok() { return Status(); }

/// Adds fmt-formatted context to an error taken from a failed Result.
template <typename... Args>
Error Wrap(Error error, fmt::format_string<Args...> format, Args&&... args) {
  error.AddContext(fmt::format(format, std::forward<Args>(args)...));
  return error;
}

}  // namespace verified

/// Evaluates `expr` (a Result<T>); on error returns it from the enclosing function,
/// otherwise declares `var` holding the value.
#define VERIFIED_CONCAT_INNER(a, b) a##b
#define VERIFIED_CONCAT(a, b) VERIFIED_CONCAT_INNER(a, b)
#define VERIFIED_ASSIGN_OR_RETURN(var, expr)                           \
  auto VERIFIED_CONCAT(_verified_r_, __LINE__) = (expr);               \
  if (!VERIFIED_CONCAT(_verified_r_, __LINE__).ok())                   \
    return std::move(VERIFIED_CONCAT(_verified_r_, __LINE__)).error(); \
  var = std::move(VERIFIED_CONCAT(_verified_r_, __LINE__)).value()

/// Same, but wraps the error with context before returning it.
#define VERIFIED_ASSIGN_OR_WRAP(var, expr, ...)                                         \
  auto VERIFIED_CONCAT(_verified_r_, __LINE__) = (expr);                                \
  if (!VERIFIED_CONCAT(_verified_r_, __LINE__).ok())                                    \
    return ::verified::Wrap(std::move(VERIFIED_CONCAT(_verified_r_, __LINE__)).error(), \
                            __VA_ARGS__);                                               \
  var = std::move(VERIFIED_CONCAT(_verified_r_, __LINE__)).value()

/// Evaluates a Status; on error returns it (optionally wrapped) from the enclosing function.
#define VERIFIED_RETURN_IF_ERROR(expr)                            \
  do {                                                            \
    auto _verified_s = (expr);                                    \
    if (!_verified_s.ok()) return std::move(_verified_s).error(); \
  } while (0)
#define VERIFIED_RETURN_IF_ERROR_WRAP(expr, ...)                                                 \
  do {                                                                                           \
    auto _verified_s = (expr);                                                                   \
    if (!_verified_s.ok()) return ::verified::Wrap(std::move(_verified_s).error(), __VA_ARGS__); \
  } while (0)
