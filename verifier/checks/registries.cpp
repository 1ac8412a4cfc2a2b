#include "verifier/checks/registries.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "verifier/image/reference.h"

namespace verified {
namespace {

constexpr const char* kRegistriesCheck = "registries";
constexpr size_t kMaxRegistries = 256;

class Registries : public Requirement {
 public:
  explicit Registries(std::vector<std::string> hosts) : hosts_(std::move(hosts)) {}
  std::string Name() const override { return kRegistriesCheck; }
  nlohmann::json Value() const override { return hosts_; }

  Finding Check(const CheckContext& ctx) const override {
    std::vector<Reference> names = NamesInQuestion(ctx);
    if (names.empty()) {
      return Fail(kRegistriesCheck, "the image has no name, so its registry is unknown (allowed: " +
                                        AllowedText() + ")");
    }
    for (const auto& n : names) {
      std::string domain;  // host names are case-insensitive; Docker keeps what was typed
      for (char c : n.domain)
        domain.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      if (std::find(hosts_.begin(), hosts_.end(), domain) == hosts_.end()) {
        return Fail(kRegistriesCheck,
                    fmt::format("{} comes from registry {}, which is not allowed (allowed: {})",
                                n.Familiar(), n.domain, AllowedText()),
                    AllowedText(), n.domain);
      }
    }
    return Pass(kRegistriesCheck, fmt::format("{} comes from allowed registry {}",
                                              names.front().Familiar(), names.front().domain));
  }

 private:
  static std::vector<Reference> NamesInQuestion(const CheckContext& ctx) {
    if (ctx.matched_name != nullptr) return {*ctx.matched_name};
    const std::string& typed = ctx.image.typed_reference;
    if (!typed.empty() && !ParseImageId(typed)) {
      auto ref = ParseReference(typed);
      if (ref.ok() && ctx.image.typed_confirmed) return {*ref};
    }
    std::vector<Reference> out;
    for (const auto& n : ctx.image.names) {
      auto ref = ParseReference(n);
      if (ref.ok()) out.push_back(std::move(ref).value());
    }
    return out;
  }
  std::string AllowedText() const {
    std::string s;
    for (const auto& h : hosts_) s += (s.empty() ? "" : ", ") + h;
    return s;
  }
  std::vector<std::string> hosts_;
};

}  // namespace

Result<std::string> NormaliseRegistryHost(const std::string& host) {
  auto bad = [&]() {
    return MakeError(ErrorKind::kInvalidArgument,
                     "'{}' is not a registry host (write host or host:port, like "
                     "\"registry.example.com:5000\" or \"docker.io\")",
                     host);
  };
  if (host.empty() || host.size() > 255) return bad();
  std::string out;
  for (char c : host) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  auto colon = out.find(':');
  std::string name = out.substr(0, colon);
  if (colon != std::string::npos) {
    std::string port = out.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos) {
      return bad();
    }
  }
  if (name.empty() || name.front() == '.' || name.front() == '-' || name.back() == '.' ||
      name.find("..") != std::string::npos ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") != std::string::npos) {
    return bad();
  }
  if (IsDockerHubHost(out)) out = "docker.io";
  return out;
}

Result<RequirementPtr> MakeRegistries(const nlohmann::json& value) {
  nlohmann::json list = value.is_string() ? nlohmann::json::array({value}) : value;
  if (!list.is_array() || list.empty() || list.size() > kMaxRegistries) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "value must be a list of 1 to {} registry hosts, like "
                     "[\"registry.example.com\", \"docker.io\"]",
                     kMaxRegistries);
  }
  std::set<std::string> seen;
  std::vector<std::string> hosts;
  for (const auto& h : list) {
    if (!h.is_string()) return MakeError(ErrorKind::kInvalidArgument, "registry hosts are strings");
    VERIFIED_ASSIGN_OR_RETURN(std::string norm, NormaliseRegistryHost(h.get<std::string>()));
    if (seen.insert(norm).second) hosts.push_back(std::move(norm));
  }
  return RequirementPtr(std::make_shared<Registries>(std::move(hosts)));
}

}  // namespace verified
