// Printing verdicts and provenance for people (text) and programs (JSON).
#pragma once

#include <nlohmann/json.hpp>

#include "verifier/policy/evaluate.h"
#include "verifier/store/resolved_image.h"

namespace verified::ctl {

/// JSON of an image's proven identity: engine, image_id, typed reference, names, diff_ids,
/// chain_ids, layers, notes.
nlohmann::ordered_json ProvenanceJson(const ResolvedImage& img);

/// JSON of a verdict: decision, mode, allowed, rule, reason, findings.
nlohmann::ordered_json VerdictJson(const Verdict& v);

/// Prints the provenance block ("image", "engine", layers...) as text.
void PrintProvenance(const ResolvedImage& img, bool layers);

/// Prints the verdict and each finding as text.
void PrintVerdict(const Verdict& v);

/// Text for an outcome ("pass", "FAIL", "n/a").
const char* OutcomeName(Outcome o);

}  // namespace verified::ctl
