#include "verifier/checks/no_latest.h"

#include "verifier/image/digest.h"
#include "verifier/image/reference.h"

namespace verified {
namespace {

constexpr const char* kNoLatestCheck = "no_latest";

bool IsLowerHex(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

class NoLatest : public Requirement {
 public:
  std::string Name() const override { return kNoLatestCheck; }
  nlohmann::json Value() const override { return true; }

  Finding Check(const CheckContext& ctx) const override {
    const std::string& typed = ctx.image.typed_reference;
    switch (ClassifyTyped(typed, ctx.image.image_id)) {
      case TypedKind::kImageId:
        return Pass(kNoLatestCheck, "started by image ID " + typed);
      case TypedKind::kDigest:
        return Pass(kNoLatestCheck, "started by digest " + typed);
      case TypedKind::kTagged:
        return Pass(kNoLatestCheck, "started by the pinned tag " + typed);
      case TypedKind::kUntagged:
        return Fail(kNoLatestCheck,
                    "started as " + typed +
                        " with no tag, which means :latest; use a version tag or a digest",
                    "a version tag or digest", typed);
      case TypedKind::kLatest:
        return Fail(kNoLatestCheck,
                    "started as " + typed +
                        "; the latest tag moves: use a version tag or a "
                        "digest",
                    "a version tag or digest", typed);
      case TypedKind::kUnknown:
        break;
    }
    return Fail(kNoLatestCheck, typed.empty()
                                    ? "the reference the container was started with is unknown, so "
                                      "it cannot be shown to be pinned"
                                    : "the reference '" + typed + "' is not an image name");
  }
};

}  // namespace

TypedKind ClassifyTyped(const std::string& typed, const std::string& image_id) {
  if (typed.empty()) return TypedKind::kUnknown;
  if (ParseImageId(typed)) return TypedKind::kImageId;
  std::string_view hex = typed;
  if (hex.rfind("sha256:", 0) == 0) hex.remove_prefix(7);
  if (IsSha256Digest(image_id) && IsLowerHex(hex) &&
      DigestHex(image_id).substr(0, hex.size()) == hex) {
    return TypedKind::kImageId;  // a short ID the engine expanded
  }
  auto ref = ParseReference(typed);
  if (!ref.ok()) return TypedKind::kUnknown;
  if (!ref->digest.empty()) return TypedKind::kDigest;
  // ParseReference adds ":latest" to a bare name; look at what was written.
  std::string_view written = typed;
  auto slash = written.rfind('/');
  auto colon = written.rfind(':');
  bool has_tag =
      colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash);
  if (!has_tag) return TypedKind::kUntagged;
  return ref->tag == "latest" ? TypedKind::kLatest : TypedKind::kTagged;
}

Result<RequirementPtr> MakeNoLatest(const nlohmann::json& value) {
  if (!value.is_boolean()) {
    return MakeError(ErrorKind::kInvalidArgument, "value must be true or false");
  }
  if (!value.get<bool>()) return RequirementPtr();
  return RequirementPtr(std::make_shared<NoLatest>());
}

}  // namespace verified
