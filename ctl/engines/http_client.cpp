#include "ctl/engines/http_client.h"

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

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

std::string UrlEscape(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Result<HttpResponse> HttpGet(const Endpoint& ep, const std::string& path, long timeout_s) {
  GlobalInit();
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return MakeError(ErrorKind::kInternal, "curl_easy_init failed");
  Sink sink;
  std::string url = ep.base_url + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  if (!ep.unix_socket.empty())
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, ep.unix_socket.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_s);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http");
  CURLcode rc = curl_easy_perform(curl);
  HttpResponse resp;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp.status);
  curl_easy_cleanup(curl);
  if (sink.overflow) {
    return MakeError(ErrorKind::kTooLarge, "response from {} exceeds {} bytes", url, kMaxHttpBody);
  }
  if (rc != CURLE_OK) {
    std::string where = ep.unix_socket.empty() ? ep.base_url : "unix://" + ep.unix_socket;
    return MakeError(ErrorKind::kIo, "cannot reach the engine API at {}: {}", where,
                     curl_easy_strerror(rc));
  }
  resp.body = std::move(sink.body);
  return resp;
}

}  // namespace verified::ctl
