// A small HTTP GET client over a unix socket or TCP, on libcurl (one request per call;
// http_session.h keeps a connection for many).
#pragma once

#include <string>

#include "verifier/core/result.h"

namespace verified::ctl {

/// Where an engine API listens.
struct Endpoint {
  std::string unix_socket;  ///< path, when the API is on a unix socket
  std::string base_url;     ///< "http://localhost" for unix sockets, "http://host:port" for TCP
};

/// An HTTP response.
struct HttpResponse {
  long status = 0;
  std::string body;
};

/// Largest response body accepted (a `docker ps` of thousands of containers stays below).
inline constexpr size_t kMaxHttpBody = 256u << 20;

/// GET `path` (e.g. "/images/alpine/json"). Fails with kIo when the connection fails (naming
/// the endpoint), kTooLarge when the body exceeds kMaxHttpBody. Non-2xx is not an error here.
Result<HttpResponse> HttpGet(const Endpoint& ep, const std::string& path, long timeout_s = 30);

/// Percent-encodes a path segment (image names contain '/' and ':').
std::string UrlEscape(const std::string& s);

}  // namespace verified::ctl
