#include "verifier/checks/registered.h"

#include "verifier/checks/registered_config.h"
#include "verifier/image/pattern.h"

namespace verified {
namespace {

constexpr const char* kRegisteredCheck = "registered";

class Registered : public Requirement {
 public:
  std::string Name() const override { return kRegisteredCheck; }
  nlohmann::json Value() const override { return true; }

  Finding Check(const CheckContext& ctx) const override {
    if (ctx.typed_by_name && ctx.matched_name != nullptr) return CheckByName(ctx);
    return CheckByChain(ctx);
  }

 private:
  static Finding CheckByName(const CheckContext& ctx) {
    std::string name = ctx.matched_name->String();
    auto reg = ctx.registrations.FindByName(name);
    if (!reg.ok())
      return Fail(kRegisteredCheck, "cannot read registrations: " + reg.error().What());
    if (!*reg) {
      return Fail(kRegisteredCheck, ctx.matched_name->Familiar() + " is not registered", "",
                  ctx.image.TopChainId());
    }
    const Registration& r = **reg;
    if (r.chain_ids == ctx.image.chain_ids) {
      // Same layers: a metadata-only rebuild still has another config, judged here.
      if (!RegistrationBindsImage(r, ctx.image)) {
        return Fail(kRegisteredCheck, ConfigDifference(r, ctx.image, ctx.matched_name->Familiar()),
                    r.image_id, ctx.image.image_id);
      }
      return Pass(kRegisteredCheck,
                  (r.layers_only ? "layer chain equals the registration (layers only) of "
                                 : "layer chain and config equal the registration of ") +
                      ctx.matched_name->Familiar() + " (" + r.registered_at + ")");
    }
    size_t at = FirstChainDifference(r.chain_ids, ctx.image.chain_ids);
    std::string detail = fmt::format(
        "{} was registered with {} layers (top chainID {}) but the image has {} layers (top "
        "chainID {}); first difference at layer {}",
        ctx.matched_name->Familiar(), r.chain_ids.size(), r.TopChainId(),
        ctx.image.chain_ids.size(), ctx.image.TopChainId(), at + 1);
    return Fail(kRegisteredCheck, "layer chain differs from the registration: " + detail,
                r.TopChainId(), ctx.image.TopChainId());
  }

  static Finding CheckByChain(const CheckContext& ctx) {
    auto regs = ctx.registrations.FindByChain(ctx.image.TopChainId());
    if (!regs.ok())
      return Fail(kRegisteredCheck, "cannot read registrations: " + regs.error().What());
    std::string config_difference;  // of the first covered registration with these layers
    const Registration* differing = nullptr;
    for (const auto& r : *regs) {
      auto ref = ParseReference(r.name);
      if (!ref.ok()) continue;
      if (ctx.rule_pattern != nullptr && !ctx.rule_pattern->Matches(*ref)) continue;
      if (r.chain_ids != ctx.image.chain_ids) continue;
      if (RegistrationBindsImage(r, ctx.image)) {
        return Pass(kRegisteredCheck,
                    (r.layers_only ? "layer chain equals the registration (layers only) of "
                                   : "layer chain and config equal the registration of ") +
                        ref->Familiar());
      }
      if (differing == nullptr) {
        differing = &r;
        config_difference = ConfigDifference(r, ctx.image, ref->Familiar());
      }
    }
    if (differing != nullptr) {
      return Fail(kRegisteredCheck, config_difference, differing->image_id, ctx.image.image_id);
    }
    return Fail(kRegisteredCheck,
                "no registration covered by this rule has the image's layer chain (top chainID " +
                    ctx.image.TopChainId() + ")",
                "", ctx.image.TopChainId());
  }
};

}  // namespace

size_t FirstChainDifference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return i;
}

Result<RequirementPtr> MakeRegistered(const nlohmann::json& value) {
  if (!value.is_boolean()) {
    return MakeError(ErrorKind::kInvalidArgument, "value must be true or false");
  }
  if (!value.get<bool>()) return RequirementPtr();
  return RequirementPtr(std::make_shared<Registered>());
}

}  // namespace verified
