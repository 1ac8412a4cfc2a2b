#include "verifier/checks/no_shell.h"

#include <algorithm>

#include "verifier/content/image_content.h"
#include "verifier/content/shell_scan.h"

namespace verified {
namespace {

constexpr const char* kNoShellCheck = "no_shell";
constexpr size_t kMaxListed = 12;  // hits named in one message; the rest are counted

class NoShell : public Requirement {
 public:
  explicit NoShell(std::vector<std::string> interpreters)
      : interpreters_(std::move(interpreters)) {}
  std::string Name() const override { return kNoShellCheck; }
  nlohmann::json Value() const override {
    return interpreters_.empty() ? nlohmann::json(true) : nlohmann::json(interpreters_);
  }

  Finding Check(const CheckContext& ctx) const override {
    auto tree = MergedTreeOf(ctx.image);
    if (!tree.ok())
      return Fail(kNoShellCheck, "cannot look through the image's layers: " + tree.error().What());
    ShellScanOptions opts;
    opts.interpreters = interpreters_;
    auto hits = FindShells(**tree, opts);
    if (!hits.ok()) return Fail(kNoShellCheck, hits.error().What());
    if (hits->empty()) {
      return Pass(kNoShellCheck,
                  fmt::format("no shell in the {} files of {} layers (names{} and ELF "
                              "contents checked)",
                              (*tree)->entries().size(), ctx.image.layers.size(),
                              interpreters_.empty() ? "" : ", listed interpreters"));
    }
    std::string list;
    for (size_t i = 0; i < hits->size() && i < kMaxListed; ++i) {
      const auto& h = (*hits)[i];
      list += (list.empty() ? "" : ", ") + h.path + " (" + h.detail + ")";
    }
    if (hits->size() > kMaxListed) list += fmt::format(" and {} more", hits->size() - kMaxListed);
    return Fail(kNoShellCheck,
                fmt::format("the image contains {} shell{}: {}", hits->size(),
                            hits->size() == 1 ? "" : "s", list),
                "no shell", (*hits)[0].path);
  }

 private:
  std::vector<std::string> interpreters_;
};

bool ValidInterpreterName(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '+' || c == '-';
  });
}

}  // namespace

Result<RequirementPtr> MakeNoShell(const nlohmann::json& value) {
  if (value.is_boolean()) {
    if (!value.get<bool>()) return RequirementPtr();
    return RequirementPtr(std::make_shared<NoShell>(std::vector<std::string>{}));
  }
  if (!value.is_array()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "value must be true, false, or a list of interpreter names treated as "
                     "shells, e.g. [\"python\", \"perl\"]");
  }
  std::vector<std::string> names;
  for (const auto& v : value) {
    if (!v.is_string() || !ValidInterpreterName(v.get<std::string>())) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "interpreter names are file names of 1-64 characters [A-Za-z0-9._+-], "
                       "got {}",
                       v.dump());
    }
    names.push_back(v.get<std::string>());
  }
  return RequirementPtr(std::make_shared<NoShell>(std::move(names)));
}

}  // namespace verified
