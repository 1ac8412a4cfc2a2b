// The fault table's recorder: each fault test records what it tried and what it observed, one
// JSON line per fault, to the file named by $VERIFIED_FAULTS_OUT (nothing is written when it is
// unset). scripts/gen-faults.sh renders those lines into docs/faults.md.
#pragma once

#include <string>

namespace verified::testing {

/// What a fault led to. kAllowed is recorded if observed, and fails the test: no fault may
/// turn into an allow.
enum class FaultOutcome {
  kDeny,     ///< the decision denied (a rule, a requirement or the baseline)
  kError,    ///< the decision denied because something could not be read or proven
  kRefused,  ///< the command (runtime, ctl) refused and exited non-zero
  kIntact,   ///< an interrupted write: the previous version stayed intact and parses
  kAllowed,  ///< the container would run: a failure of the guard
};

/// The outcome's name in the table ("deny", "error", "refused", "intact", "allowed").
const char* FaultOutcomeName(FaultOutcome o);

/// Records one row: `area` groups rows in the table ("policy", "docker store"...), `fault`
/// says what was broken, `message` is the exact message observed. Every occurrence of `tmp`
/// (the test's temporary directory, "" for none) in `message` becomes "<tmp>", newlines
/// become spaces and other control bytes "\xNN", so the row is one line of text that does not
/// depend on the run. Adds a GoogleTest failure when
/// `outcome` is kAllowed, or when $VERIFIED_FAULTS_OUT is set and cannot be appended to.
void RecordFault(const std::string& area, const std::string& fault, FaultOutcome outcome,
                 const std::string& message, const std::string& tmp);

}  // namespace verified::testing
