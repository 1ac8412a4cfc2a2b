// verifiedctl policy lint: errors (the runtime would refuse everything) and warnings (rules
// that can never match, or that allow more than they look like they do).
#pragma once

#include <string>
#include <vector>

#include "verifier/policy/policy.h"
#include "verifier/registry/registration_store.h"

namespace verified::ctl {

/// One lint message.
struct LintMessage {
  bool error = false;
  std::string text;
};

/// Lints a parsed policy against the registrations it refers to.
std::vector<LintMessage> LintParsedPolicy(const Policy& p, const RegistrationStore& regs);

/// Reads, checks permissions of, parses and lints <config-dir>/policy.json; prints every
/// message. Returns 0 when there are no errors, 1 when there are.
int LintPolicy(const std::string& config_dir);

}  // namespace verified::ctl
