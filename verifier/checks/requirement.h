// Requirement: one condition an allow rule (or the host baseline) imposes on a container.
//
// Each requirement lives in its own file under verifier/checks/ and is registered by name in
// catalog.cpp. It is built once from its policy value (validated there, so `policy lint`
// reports bad values) and evaluated per decision against a CheckContext. A failed requirement
// is a Finding, which is data; it is never an Error.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "verifier//bundle/spec.h"
#include "verifier/fs/deferred_writes.h"
#include "verifier/image/reference.h"
#include "verifier/registry/registration_store.h"
#include "verifier/store/resolved_image.h"

namespace verified {

/// Outcome of one requirement.
enum class Outcome {
  kPass,
  kFail,
  kNotEvaluated,  ///< needs the container spec and none was given (verifiedctl check IMAGE)
};

/// One requirement's result.
struct Finding {
  std::string requirement;  ///< requirement name ("registered")
  Outcome outcome = Outcome::kPass;
  std::string message;   ///< a sentence saying what was found
  std::string expected;  ///< digest or value required ("" when not applicable)
  std::string actual;    ///< digest or value found
};

/// Where a decision may cache successful signature verifications (signed_by; verifier/signature/
/// cached_verification.h). A cache that cannot be read or written is a miss, said in the finding.
struct VerificationCacheAccess {
  std::string state_dir;  ///< the state dir holding the cache file; "" = no cache
  /// True for the create decision (the runtime, the hook): new successes are written to the
  /// state dir (created 0700 if missing). False for readers (explain, check, audit), which
  /// need no write access.
  bool write = false;
  /// When set (a sandboxed create decision), the decision's cache writes (this cache and the
  /// `content` requirement's, verifier/content/content_cache.h) are recorded here for the
  /// caller to make, and no directory is created.
  DeferredWrites* defer = nullptr;
};

/// What a requirement may look at.
struct CheckContext {
  const ResolvedImage& image;
  /// The name that selected the rule (nullptr when the rule matched no name, e.g. default).
  const Reference* matched_name = nullptr;
  /// True when matched_name is the tag the user typed and storage confirmed it; false when
  /// the image was run by ID or digest and names came from storage or registrations.
  bool typed_by_name = false;
  /// The rule's pattern matcher (to find registrations the rule covers); may be null.
  const class ImagePattern* rule_pattern = nullptr;
  /// The OCI spec of the container, nullptr when checking an image on its own.
  const Spec* spec = nullptr;
  const RegistrationStore& registrations;
  /// Policy::digest of the policy being evaluated ("" when unknown: no cache is then used).
  std::string policy_digest = "";
  VerificationCacheAccess verification_cache = {};
};

/// A condition on an image or container.
class Requirement {
 public:
  virtual ~Requirement() = default;
  /// The policy name ("registered", "base", ...).
  virtual std::string Name() const = 0;
  /// The policy value it was built from (round-trips through policy.json).
  virtual nlohmann::json Value() const = 0;
  /// Evaluates the requirement. Errors reading state become kFail findings (fail closed).
  virtual Finding Check(const CheckContext& ctx) const = 0;
};

using RequirementPtr = std::shared_ptr<const Requirement>;

/// Convenience constructors for findings.
Finding Pass(std::string requirement, std::string message);
Finding Fail(std::string requirement, std::string message, std::string expected = "",
             std::string actual = "");
Finding NotEvaluated(std::string requirement, std::string message);

}  // namespace verified
