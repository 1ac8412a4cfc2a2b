#include "verifier/checks/base_image.h"

#include "verifier/checks/registered.h"
#include "verifier/image/reference.h"

namespace verified {
namespace {

constexpr const char* kBaseImageCheck = "base";

class BaseImage : public Requirement {
 public:
  explicit BaseImage(Reference base) : base_(std::move(base)) {}
  std::string Name() const override { return kBaseImageCheck; }
  nlohmann::json Value() const override { return base_.Familiar(); }

  Finding Check(const CheckContext& ctx) const override {
    auto reg = ctx.registrations.FindByName(base_.String());
    if (!reg.ok()) return Fail(kBaseImageCheck, "cannot read registrations: " + reg.error().What());
    if (!*reg) {
      return Fail(kBaseImageCheck, "base image " + base_.Familiar() +
                                       " is not registered (verifiedctl register " +
                                       base_.Familiar() + ")");
    }
    const auto& want = (*reg)->chain_ids;
    const auto& have = ctx.image.chain_ids;
    if (want.size() <= have.size() && FirstChainDifference(want, have) == want.size()) {
      return Pass(kBaseImageCheck, fmt::format("image starts with the {} layers of base {}",
                                               want.size(), base_.Familiar()));
    }
    size_t at = FirstChainDifference(want, have);
    std::string actual = at < have.size() ? have[at] : std::string("(no layer)");
    std::string expected = at < want.size() ? want[at] : std::string();
    return Fail(kBaseImageCheck,
                fmt::format("image is not built on base {}: at layer {} the base has chainID {} "
                            "but the image has {}",
                            base_.Familiar(), at + 1, expected, actual),
                expected, actual);
  }

 private:
  Reference base_;
};

}  // namespace

Result<RequirementPtr> MakeBaseImage(const nlohmann::json& value) {
  if (!value.is_string()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "value must be an image name like \"alpine:3.20\"");
  }
  VERIFIED_ASSIGN_OR_RETURN(Reference ref, ParseReference(value.get<std::string>()));
  return RequirementPtr(std::make_shared<BaseImage>(std::move(ref)));
}

}  // namespace verified
