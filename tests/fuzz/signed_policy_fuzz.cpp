// Fuzz target: the signed policy's parsers (verifier/signedpolicy/): the statement
// (policy.sig.json), the high-water mark (<state-dir>/policy-version), the verification cache
// (<state-dir>/policy-verified), the statement cache's head and records
// (<state-dir>/policy-statement), Go durations and RFC 3339 times (--expires, --grace, the
// statement's times). Input: a file's bytes.
#include <cstdint>
#include <string>

#include "verifier/signedpolicy/go_duration.h"
#include "verifier/signedpolicy/policy_mark.h"
#include "verifier/signedpolicy/policy_sign.h"
#include "verifier/signedpolicy/policy_statement.h"
#include "verifier/signedpolicy/rfc3339.h"
#include "verifier/signedpolicy/statement_cache.h"
#include "verifier/signedpolicy/verify_cache.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace verified::signedpolicy;
  std::string in(reinterpret_cast<const char*>(data), size);
  auto s = ParseStatement(in);
  if (s.ok()) {
    if (s->version < 1 || s->expires <= s->signed_at || !s->files.count("policy.json"))
      __builtin_trap();
    for (const auto& [path, digest] : s->files) {
      if (!IsCoveredPath(path)) __builtin_trap();
    }
    // What is signed is read back as the same statement.
    auto again = ParseStatement(SerializeStatement(*s));
    if (!again.ok() || again->version != s->version || again->files != s->files ||
        again->expires != s->expires || again->key != s->key)
      __builtin_trap();
  }
  auto m = ParseMark(in);
  if (m.ok()) {
    auto again = ParseMark(SerializeMark(*m));
    if (!again.ok() || again->version != m->version || again->policy_keys != m->policy_keys)
      __builtin_trap();
  }
  auto v = ParseVerifyCache(in);
  if (v.ok() && SerializeVerifyCache(*v) != in) __builtin_trap();  // one spelling only
  for (uint64_t size : {uint64_t{in.size()}, uint64_t{in.size()} + kStatementCacheRecordBytes}) {
    auto head = ParseStatementCacheHead(in, size);
    if (head.ok()) {
      if (head->second > in.size() || !head->first.files.count("policy.json") ||
          head->first.registrations > kMaxStatementFiles)
        __builtin_trap();
      for (const auto& [path, digest] : head->first.files) {
        if (!IsCoveredPath(path) || path.rfind("images/", 0) == 0) __builtin_trap();
      }
    }
  }
  for (size_t at = 0; at + kStatementCacheRecordBytes <= in.size() && at < 4096;
       at += kStatementCacheRecordBytes) {
    auto r = ParseStatementCacheRecord(std::string_view(in).substr(at, kStatementCacheRecordBytes));
    if (r && (r->key.size() != 64 || r->digest.size() != 71)) __builtin_trap();
  }
  auto d = ParseGoDuration(in);
  if (d.ok() && in.size() > kMaxDurationText) __builtin_trap();
  auto t = ParseRfc3339(in);
  if (t.ok()) {
    if (*t < 0) __builtin_trap();
    auto back = ParseRfc3339(FormatRfc3339(*t));
    if (!back.ok() || *back != *t) __builtin_trap();
  }
  constexpr int64_t kNow = 1798761600;
  auto e = ParseExpires(in, kNow);
  if (e.ok() && (*e <= kNow || *e - kNow > kMaxValiditySeconds)) __builtin_trap();
  auto g = ParseGrace(in);
  if (g.ok() && (*g < 0 || *g > kMaxGraceSeconds)) __builtin_trap();
  return 0;
}
