#include "verifier/bundle/spec.h"

#include <climits>
#include <cstdlib>

#include "verifier/bundle/spec_keys.h"
#include "verifier/core/go_json_keys.h"
#include "verifier/core/json.h"
#include "verifier/fs/dir.h"

namespace verified {

std::string Spec::Annotation(const std::string& key) const {
  auto it = annotations.find(key);
  return it == annotations.end() ? std::string() : it->second;
}

Result<Spec> ParseSpec(std::string_view text) {
  // runc reads this file with Go's encoding/json (runc utils.go loadSpec: json.NewDecoder),
  // which folds key case and lets a later duplicate win: refuse every document where that
  // reading and ours could differ, before looking at any field.
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json j, ParseJsonAsGo(text, "config.json"));
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "config.json is not a JSON object");
  VERIFIED_RETURN_IF_ERROR(CheckSpecKeySpelling(j));
  Spec spec;
  auto root = j.find("root");
  if (root == j.end() || !root->is_object()) {
    return MakeError(ErrorKind::kParse, "config.json has no root object");
  }
  VERIFIED_ASSIGN_OR_RETURN(spec.root_path, OptionalString(*root, "path", "config.json root"));
  if (spec.root_path.empty()) return MakeError(ErrorKind::kParse, "config.json has no root.path");
  if (auto ro = root->find("readonly"); ro != root->end()) {
    if (!ro->is_boolean()) return MakeError(ErrorKind::kParse, "root.readonly is not a boolean");
    spec.root_readonly = ro->get<bool>();
  }
  if (auto ann = j.find("annotations"); ann != j.end() && !ann->is_null()) {
    if (!ann->is_object()) return MakeError(ErrorKind::kParse, "annotations is not an object");
    for (const auto& [k, v] : ann->items()) {
      if (!v.is_string()) {
        return MakeError(ErrorKind::kParse, "annotation '{}' is not a string", k);
      }
      spec.annotations.emplace(k, v.get<std::string>());
    }
  }
  spec.raw = std::move(j);
  return spec;
}

Result<Spec> LoadSpec(const std::string& bundle_dir) {
  VERIFIED_ASSIGN_OR_WRAP(std::string text,
                          ReadFileLimited(bundle_dir + "/config.json", kMaxSpecBytes), "bundle {}",
                          bundle_dir);
  auto spec = ParseSpec(text);
  if (!spec.ok()) return Wrap(std::move(spec).error(), "bundle {}", bundle_dir);
  return spec;
}

Result<std::string> ResolveRootPath(const std::string& bundle_dir, const Spec& spec) {
  std::string joined =
      spec.root_path.front() == '/' ? spec.root_path : bundle_dir + "/" + spec.root_path;
  char buf[PATH_MAX];
  if (realpath(joined.c_str(), buf) == nullptr) {
    return SysError(errno, fmt::format("root.path {}", joined));
  }
  return std::string(buf);
}

}  // namespace verified
