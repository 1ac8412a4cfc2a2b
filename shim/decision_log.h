// The decision log: one JSON line per decision, create and exec alike (DESIGN.md "Quality
// bars"). One record type, one serialisation; the keys are what e2e tests and operators grep.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/decision/decision.h"
#include "verifier/seal/seal_record.h"

namespace verified::shim {

/// One line of the decision log. Create records carry the store fields (engine, chain_id,
/// policy_digest, registration_digests); exec records, decided from a seal record alone, do
/// not. policy_digest and registration_digests name the whole configuration state the verdict
/// was made under, so that each line can be checked afterwards against exactly that state.
struct DecisionLogRecord {
  std::string time;     ///< RFC 3339, when the record was made
  std::string command;  ///< create, run, restore, exec
  std::string container;
  std::optional<std::string> engine;
  std::string image;  ///< as shown to the user
  std::string image_id;
  std::optional<std::string> chain_id;
  std::string verdict;  ///< allow / deny: what the policy says
  bool enforced = true;
  bool allowed = false;  ///< whether the container (or exec) goes ahead
  std::string mode;
  std::string rule;
  std::vector<std::string> reasons;  ///< failed findings, or the reason
  std::optional<std::string> policy_digest;
  /// Decision::registrations: each registration file read (path relative to the config dir)
  /// and the digest of the bytes read, or absent.
  std::optional<RegistrationReads> registration_digests;
  /// The signed-policy status (Decision::policy_signature), only on hosts that require one:
  /// the accepted version, or the refusal, and the grace-period warning.
  std::optional<std::string> policy_signature;
  int64_t elapsed_us = 0;
  /// Create records of the runtime and the hook: how the decision was confined
  /// (shim/sandboxed_decision.h CreateDecision::sandbox), or "off (VERIFIED_SANDBOX is not on)".
  std::optional<std::string> sandbox;
};

/// The record of a create decision for `command` ("create", "run", "restore").
DecisionLogRecord CreateDecisionRecord(const Decision& d, const std::string& command,
                                       const std::string& container_id);

/// The record of an exec into sealed container `seal`: verdict deny, allowed only in audit
/// mode, with `reason`.
DecisionLogRecord ExecDecisionRecord(const SealRecord& seal, bool allowed,
                                     const std::string& reason, int64_t elapsed_us);

/// The JSON of a record, keys in this order: time, command, container, engine, image,
/// image_id, chain_id, verdict, enforced, allowed, mode, rule, reasons, policy_digest,
/// registration_digests, policy_signature, elapsed_us, sandbox (the optional ones only when set).
/// registration_digests is an object {"images/by-name/<x>.json": "sha256:<hex>" | null}, null
/// for a file found absent; a file read more than once with different answers during the
/// decision (a writer replaced it meanwhile) has the array of its answers, in read order.
nlohmann::ordered_json DecisionLogJson(const DecisionLogRecord& r);

/// Appends the record as one line to `path`, creating its directory (0750) when missing.
Status AppendDecision(const std::string& path, const DecisionLogRecord& record);

}  // namespace verified::shim
