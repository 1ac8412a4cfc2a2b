#include "ctl/engines/http_client.h"

#include <cctype>

#include "ctl/engines/http_session.h"

namespace verified::ctl {

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

// A one-request session: the connection is closed when it goes out of scope.
Result<HttpResponse> HttpGet(const Endpoint& ep, const std::string& path, long timeout_s) {
  return HttpSession(ep, timeout_s).Get(path);
}

}  // namespace verified::ctl
