#include "shim/decision_wire.h"

#include <initializer_list>
#include <nlohmann/json.hpp>

#include "verifier/core/base64.h"
#include "verifier/core/go_json_keys.h"
#include "verifier/core/json.h"

namespace verified::shim {
namespace {

using nlohmann::json;

constexpr size_t kMaxSteps = 64;
constexpr size_t kMaxItems = 4096;
constexpr size_t kMaxWrites = 65536;

json FindingsJson(const std::vector<Finding>& findings) {
  json out = json::array();
  for (const auto& f : findings) {
    out.push_back({{"requirement", f.requirement},
                   {"outcome", static_cast<int>(f.outcome)},
                   {"message", f.message},
                   {"expected", f.expected},
                   {"actual", f.actual}});
  }
  return out;
}

json VerdictJson(const Verdict& v) {
  return {{"decision", static_cast<int>(v.decision)},
          {"mode", static_cast<int>(v.mode)},
          {"image", v.image},
          {"image_id", v.image_id},
          {"rule", v.rule},
          {"kind", static_cast<int>(v.kind)},
          {"rule_index", v.rule_index},
          {"reason", v.reason},
          {"findings", FindingsJson(v.findings)}};
}

json SealJson(const std::optional<SealIntent>& s) {
  if (!s) return nullptr;
  return {{"container_id", s->container_id},   {"image", s->image},
          {"image_id", s->image_id},           {"rule", s->rule},
          {"mode", static_cast<int>(s->mode)}, {"namespaces", s->namespaces}};
}

// A strict reader of one object: every member must be read exactly once, with its type.
class Reader {
 public:
  Reader(const json& j, const char* what, std::initializer_list<const char*> members)
      : j_(j), what_(what) {
    if (!j.is_object()) {
      error_ = fmt::format("{} is not an object", what);
      return;
    }
    if (j.size() != members.size()) {
      error_ = fmt::format("{} has {} members, not {}", what, j.size(), members.size());
      return;
    }
    for (const char* m : members) {
      if (!j.contains(m)) error_ = fmt::format("{} lacks \"{}\"", what, m);
    }
  }
  std::string Str(const char* key) {
    const json* v = Get(key);
    if (v == nullptr || !v->is_string()) return Fail<std::string>(key, "a string");
    return v->get<std::string>();
  }
  int64_t Int(const char* key, int64_t lo, int64_t hi) {
    const json* v = Get(key);
    if (v == nullptr || !v->is_number_integer()) return Fail<int64_t>(key, "an integer");
    int64_t x = v->is_number_unsigned() && v->get<uint64_t>() > INT64_MAX ? -1 : v->get<int64_t>();
    if (x < lo || x > hi) return Fail<int64_t>(key, fmt::format("in {}..{}", lo, hi));
    return x;
  }
  const json& Array(const char* key, size_t max) {
    static const json kEmpty = json::array();
    const json* v = Get(key);
    if (v == nullptr || !v->is_array()) return Fail<const json&>(key, "an array", kEmpty);
    if (v->size() > max) return Fail<const json&>(key, fmt::format("at most {} long", max), kEmpty);
    return *v;
  }
  std::vector<std::string> Strings(const char* key) {
    std::vector<std::string> out;
    for (const auto& s : Array(key, kMaxItems)) {
      if (!s.is_string()) return Fail<std::vector<std::string>>(key, "an array of strings");
      out.push_back(s.get<std::string>());
    }
    return out;
  }
  const json* Get(const char* key) {
    if (!error_.empty()) return nullptr;
    auto it = j_.find(key);
    return it == j_.end() ? nullptr : &*it;
  }
  Status Done() const {
    if (error_.empty()) return Ok();
    return MakeError(ErrorKind::kParse, "sandbox answer: {}", error_);
  }

 private:
  template <typename T>
  T Fail(const char* key, const std::string& want) {
    if (error_.empty()) error_ = fmt::format("{}.{} is not {}", what_, key, want);
    return T();
  }
  template <typename T>
  T Fail(const char* key, const std::string& want, T fallback) {
    if (error_.empty()) error_ = fmt::format("{}.{} is not {}", what_, key, want);
    return fallback;
  }
  const json& j_;
  const char* what_;
  std::string error_;
};

Result<Verdict> ParseVerdict(const json& j) {
  Reader r(j, "verdict",
           {"decision", "mode", "image", "image_id", "rule", "kind", "rule_index", "reason",
            "findings"});
  Verdict v;
  v.decision = static_cast<Action>(r.Int("decision", 0, 1));
  v.mode = static_cast<Mode>(r.Int("mode", 0, 1));
  v.image = r.Str("image");
  v.image_id = r.Str("image_id");
  v.rule = r.Str("rule");
  v.kind = static_cast<RuleKind>(r.Int("kind", 0, static_cast<int>(RuleKind::kImageList)));
  v.rule_index = static_cast<size_t>(r.Int("rule_index", 0, INT32_MAX));
  v.reason = r.Str("reason");
  for (const auto& fj : r.Array("findings", kMaxItems)) {
    Reader f(fj, "finding", {"requirement", "outcome", "message", "expected", "actual"});
    Finding x;
    x.requirement = f.Str("requirement");
    x.outcome = static_cast<Outcome>(f.Int("outcome", 0, 2));
    x.message = f.Str("message");
    x.expected = f.Str("expected");
    x.actual = f.Str("actual");
    VERIFIED_RETURN_IF_ERROR(f.Done());
    v.findings.push_back(std::move(x));
  }
  VERIFIED_RETURN_IF_ERROR(r.Done());
  return v;
}

json RegistrationsJson(const RegistrationReads& reads) {
  json out = json::object();
  for (const auto& [path, answers] : reads) {
    json a = json::array();
    for (const auto& x : answers) a.push_back(x ? json(*x) : json(nullptr));
    out[path] = std::move(a);
  }
  return out;
}

// The registration files the decision read (RegistrationReads): an object of arrays whose
// items are digests or null (absent).
Result<RegistrationReads> ParseRegistrations(const json* j) {
  if (j == nullptr || !j->is_object() || j->size() > kMaxItems) {
    return MakeError(ErrorKind::kParse,
                     "sandbox answer: answer.registrations is not an object of at most {} "
                     "members",
                     kMaxItems);
  }
  RegistrationReads out;
  for (const auto& [path, answers] : j->items()) {
    if (!answers.is_array() || answers.empty() || answers.size() > kMaxSteps) {
      return MakeError(ErrorKind::kParse,
                       "sandbox answer: registrations.{} is not an array of 1 to {} reads",
                       QuoteJsonKey(path), kMaxSteps);
    }
    auto& reads = out[path];
    for (const auto& x : answers) {
      if (!x.is_null() && !x.is_string()) {
        return MakeError(ErrorKind::kParse,
                         "sandbox answer: registrations.{} holds neither a digest nor null",
                         QuoteJsonKey(path));
      }
      reads.push_back(x.is_null() ? std::nullopt
                                  : std::optional<std::string>(x.get<std::string>()));
    }
  }
  return out;
}

Result<std::optional<SealIntent>> ParseSeal(const json* j) {
  if (j == nullptr || j->is_null()) return std::optional<SealIntent>();
  Reader r(*j, "seal", {"container_id", "image", "image_id", "rule", "mode", "namespaces"});
  SealIntent s;
  s.container_id = r.Str("container_id");
  s.image = r.Str("image");
  s.image_id = r.Str("image_id");
  s.rule = r.Str("rule");
  s.mode = static_cast<Mode>(r.Int("mode", 0, 1));
  s.namespaces = r.Strings("namespaces");
  VERIFIED_RETURN_IF_ERROR(r.Done());
  return std::optional<SealIntent>(std::move(s));
}

Result<DeferredWrite> ParseWrite(const json& j) {
  Reader r(j, "write", {"path", "content"});
  DeferredWrite w;
  w.path = r.Str("path");
  std::string content = r.Str("content");
  VERIFIED_RETURN_IF_ERROR(r.Done());
  if (!content.empty()) {
    VERIFIED_ASSIGN_OR_RETURN(w.content,
                              Base64DecodeStrict(content, "sandbox answer write", kMaxAnswerBytes));
  }
  return w;
}

}  // namespace

std::string SerializeDecisionAnswer(const Decision& d, const std::vector<DeferredWrite>& writes) {
  json steps = json::array();
  for (const auto& s : d.steps) {
    steps.push_back({{"name", s.name}, {"elapsed_us", s.elapsed_us}, {"detail", s.detail}});
  }
  json w = json::array();
  for (const auto& x : writes)
    w.push_back({{"path", x.path}, {"content", Base64Encode(x.content)}});
  json j = {{"verdict", VerdictJson(d.verdict)},
            {"engine", d.engine},
            {"top_chain_id", d.top_chain_id},
            {"policy_digest", d.policy_digest},
            {"registrations", RegistrationsJson(d.registrations)},
            {"policy_signature", d.policy_signature},
            {"elapsed_us", d.elapsed_us},
            {"rootfs", d.rootfs},
            {"seal", SealJson(d.seal)},
            {"steps", steps},
            {"notes", d.notes},
            {"writes", w}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<DecisionAnswer> ParseDecisionAnswer(std::string_view text) {
  if (text.size() > kMaxAnswerBytes) {
    return MakeError(ErrorKind::kTooLarge, "sandbox answer of {} bytes (limit {})", text.size(),
                     kMaxAnswerBytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(json j, ParseJson(text, "sandbox answer"));
  Reader r(j, "answer",
           {"verdict", "engine", "top_chain_id", "policy_digest", "registrations",
            "policy_signature", "elapsed_us", "rootfs", "seal", "steps", "notes", "writes"});
  DecisionAnswer a;
  Decision& d = a.decision;
  const json* verdict = r.Get("verdict");
  d.engine = r.Str("engine");
  d.top_chain_id = r.Str("top_chain_id");
  d.policy_digest = r.Str("policy_digest");
  const json* registrations = r.Get("registrations");
  d.policy_signature = r.Str("policy_signature");
  d.elapsed_us = r.Int("elapsed_us", 0, INT64_MAX);
  d.rootfs = r.Str("rootfs");
  const json* seal = r.Get("seal");
  for (const auto& sj : r.Array("steps", kMaxSteps)) {
    Reader s(sj, "step", {"name", "elapsed_us", "detail"});
    DecisionStep step{s.Str("name"), s.Int("elapsed_us", 0, INT64_MAX), s.Str("detail")};
    VERIFIED_RETURN_IF_ERROR(s.Done());
    d.steps.push_back(std::move(step));
  }
  d.notes = r.Strings("notes");
  const json& writes = r.Array("writes", kMaxWrites);
  VERIFIED_RETURN_IF_ERROR(r.Done());
  VERIFIED_ASSIGN_OR_RETURN(d.verdict, ParseVerdict(*verdict));
  VERIFIED_ASSIGN_OR_RETURN(d.seal, ParseSeal(seal));
  VERIFIED_ASSIGN_OR_RETURN(d.registrations, ParseRegistrations(registrations));
  for (const auto& wj : writes) {
    VERIFIED_ASSIGN_OR_RETURN(DeferredWrite w, ParseWrite(wj));
    a.writes.push_back(std::move(w));
  }
  return a;
}

}  // namespace verified::shim
