#include "verifier/checks/content.h"

#include "verifier/content/content_verify.h"

namespace verified {
namespace {

constexpr const char* kContentCheck = "content";

class Content : public Requirement {
 public:
  explicit Content(content::ContentMode mode) : mode_(mode) {}
  std::string Name() const override { return kContentCheck; }
  nlohmann::json Value() const override { return content::ContentModeName(mode_); }

  Finding Check(const CheckContext& ctx) const override {
    if (ctx.image.layers.empty() && !ctx.image.diff_ids.empty()) {
      return Fail(kContentCheck,
                  "the image's layer directories are unknown (not resolved from an engine "
                  "store), so the bytes on disk cannot be verified");
    }
    content::ContentOptions opt;
    opt.mode = mode_;
    opt.config_dir = ctx.registrations.config_dir();
    opt.defer = ctx.verification_cache.defer;
    content::ContentReport report = content::VerifyImageContent(ctx.image, opt);
    std::string summary = report.Summary(ctx.image.diff_ids.size());
    if (report.ok) return Pass(kContentCheck, summary);
    const content::LayerReport* f = report.FirstFailure();
    std::string actual = f != nullptr ? f->digest : std::string();
    return Fail(kContentCheck, summary, f != nullptr ? f->diff_id : std::string(), actual);
  }

 private:
  content::ContentMode mode_;
};

}  // namespace

Result<RequirementPtr> MakeContent(const nlohmann::json& value) {
  if (!value.is_string()) {
    return MakeError(ErrorKind::kInvalidArgument, "value must be \"off\", \"full\" or \"cached\"");
  }
  VERIFIED_ASSIGN_OR_RETURN(content::ContentMode mode,
                            content::ParseContentMode(value.get<std::string>()));
  if (mode == content::ContentMode::kOff) return RequirementPtr();
  return RequirementPtr(std::make_shared<Content>(mode));
}

}  // namespace verified
