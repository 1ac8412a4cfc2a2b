#include "verifier/checks/requirement.h"

namespace verified {

Finding Pass(std::string requirement, std::string message) {
  return Finding{std::move(requirement), Outcome::kPass, std::move(message), "", ""};
}

Finding Fail(std::string requirement, std::string message, std::string expected,
             std::string actual) {
  return Finding{std::move(requirement), Outcome::kFail, std::move(message), std::move(expected),
                 std::move(actual)};
}

Finding NotEvaluated(std::string requirement, std::string message) {
  return Finding{std::move(requirement), Outcome::kNotEvaluated, std::move(message), "", ""};
}

}  // namespace verified
