#include "ctl/engines/http_session.h"

#include <curl/curl.h>

#include <mutex>

namespace verified::ctl {
namespace {

struct Sink {
  std::string body;
  bool overflow = false;
};

size_t Write(char* data, size_t size, size_t nmemb, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * nmemb;
  if (sink->body.size() + n > kMaxHttpBody) {
    sink->overflow = true;
    return 0;  // makes curl abort the transfer
  }
  sink->body.append(data, n);
  return n;
}

}  // namespace

HttpSession::HttpSession(Endpoint ep, long timeout_s) : ep_(std::move(ep)), timeout_s_(timeout_s) {
  // curl_easy_init would run curl_global_init implicitly, which is not thread-safe; sessions
  // are created on worker threads.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
}

HttpSession::~HttpSession() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Result<HttpResponse> HttpSession::Get(const std::string& path) {
  auto* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) return MakeError(ErrorKind::kInternal, "curl_easy_init failed");
  Sink sink;
  std::string url = ep_.base_url + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  if (!ep_.unix_socket.empty()) {
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, ep_.unix_socket.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_s_);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http");
  CURLcode rc = curl_easy_perform(curl);
  HttpResponse resp;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp.status);
  if (sink.overflow) {
    return MakeError(ErrorKind::kTooLarge, "response from {} exceeds {} bytes", url, kMaxHttpBody);
  }
  if (rc != CURLE_OK) {
    std::string where = ep_.unix_socket.empty() ? ep_.base_url : "unix://" + ep_.unix_socket;
    return MakeError(ErrorKind::kIo, "cannot reach the engine API at {}: {}", where,
                     curl_easy_strerror(rc));
  }
  resp.body = std::move(sink.body);
  return resp;
}

}  // namespace verified::ctl
