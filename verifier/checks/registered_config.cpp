#include "verifier/checks/registered_config.h"

#include <fmt/format.h>

#include "verifier/image/runtime_config.h"

namespace verified {

bool RegistrationBindsImage(const Registration& r, const ResolvedImage& image) {
  if (r.chain_ids != image.chain_ids) return false;
  if (r.layers_only) return true;
  return !r.image_id.empty() && r.image_id == image.image_id;
}

std::string ConfigDifference(const Registration& r, const ResolvedImage& image,
                             const std::string& familiar) {
  if (RegistrationBindsImage(r, image)) return "";
  std::string again =
      "if this image is approved, register it again: verifiedctl register " + familiar;
  if (r.image_id.empty()) {
    return fmt::format(
        "the registration of {} records no image config (written by an earlier version), so "
        "the image's config cannot be bound; {}",
        familiar, again);
  }
  std::string head = fmt::format(
      "image config differs from the registration: {} was registered with config {} but the "
      "image has config {}",
      familiar, r.image_id, image.image_id.empty() ? std::string("(unknown)") : image.image_id);
  if (r.config.is_null()) {
    return head +
           "; the registration was written by an earlier version and keeps no copy of the "
           "config to say what changed; " +
           again;
  }
  auto actual = ExtractRuntimeConfig(image.config);
  if (!actual.ok())
    return head + "; the image's config cannot be compared: " + actual.error().What();
  std::vector<std::string> changes = RuntimeConfigChanges(r.config, *actual);
  if (changes.empty()) {
    return head +
           "; changed: no runtime setting (only other parts of the config, such as its "
           "history or platform)";
  }
  std::string list;
  for (const auto& c : changes) list += (list.empty() ? "" : ", ") + c;
  return head + "; changed: " + list;
}

}  // namespace verified
