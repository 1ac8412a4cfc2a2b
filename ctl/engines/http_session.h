// A keep-alive HTTP client: one libcurl handle reused for many GETs to the same engine API, so
// auditing hundreds of containers costs one connection per worker, not one per request.
#pragma once

#include <string>

#include "ctl/engines/http_client.h"
#include "verifier/core/result.h"

namespace verified::ctl {

/// A sequence of GETs over one connection. Not thread-safe: one session per thread.
class HttpSession {
 public:
  explicit HttpSession(Endpoint ep, long timeout_s = 30);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  /// GET `path`. Errors as HttpGet: kIo when the engine cannot be reached, kTooLarge beyond
  /// kMaxHttpBody; any HTTP status is a response.
  Result<HttpResponse> Get(const std::string& path);

 private:
  Endpoint ep_;
  long timeout_s_;
  void* curl_ = nullptr;  // CURL*, kept opaque so this header needs no curl include
};

}  // namespace verified::ctl
