#include "shim/decision_log.h"

#include <fcntl.h>
#include <unistd.h>

#include "shim/refusal.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"

namespace verified::shim {

namespace {

nlohmann::ordered_json DigestJson(const std::optional<std::string>& digest) {
  return digest ? nlohmann::ordered_json(*digest) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json RegistrationDigestsJson(const RegistrationReads& reads) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [path, answers] : reads) {
    if (answers.size() == 1) {
      j[path] = DigestJson(answers.front());
      continue;
    }
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const auto& a : answers) all.push_back(DigestJson(a));
    j[path] = std::move(all);
  }
  return j;
}

}  // namespace

DecisionLogRecord CreateDecisionRecord(const Decision& d, const std::string& command,
                                       const std::string& container_id) {
  const Verdict& v = d.verdict;
  DecisionLogRecord r;
  r.time = Rfc3339Now();
  r.command = command;
  r.container = container_id;
  r.engine = d.engine;
  r.image = v.image;
  r.image_id = v.image_id;
  r.chain_id = d.top_chain_id;
  r.verdict = ActionName(v.decision);
  r.enforced = v.mode == Mode::kEnforce;
  r.allowed = v.Allowed();
  r.mode = ModeName(v.mode);
  r.rule = v.rule;
  for (const auto& f : v.findings) {
    if (f.outcome == Outcome::kFail) r.reasons.push_back(f.requirement + ": " + f.message);
  }
  if (r.reasons.empty()) r.reasons.push_back(v.reason);
  r.policy_digest = d.policy_digest;
  r.registration_digests = d.registrations;
  if (!d.policy_signature.empty()) r.policy_signature = d.policy_signature;
  r.elapsed_us = d.elapsed_us;
  return r;
}

DecisionLogRecord ExecDecisionRecord(const SealRecord& seal, bool allowed,
                                     const std::string& reason, int64_t elapsed_us) {
  DecisionLogRecord r;
  r.time = Rfc3339Now();
  r.command = "exec";
  r.container = seal.container_id;
  r.image = seal.image;
  r.image_id = seal.image_id;
  r.verdict = "deny";
  r.enforced = seal.mode == "enforce";
  r.allowed = allowed;
  r.mode = seal.mode;
  r.rule = seal.rule;
  r.reasons = {reason};
  r.elapsed_us = elapsed_us;
  return r;
}

nlohmann::ordered_json DecisionLogJson(const DecisionLogRecord& r) {
  nlohmann::ordered_json j;
  j["time"] = r.time;
  j["command"] = r.command;
  j["container"] = r.container;
  if (r.engine) j["engine"] = *r.engine;
  j["image"] = r.image;
  j["image_id"] = r.image_id;
  if (r.chain_id) j["chain_id"] = *r.chain_id;
  j["verdict"] = r.verdict;
  j["enforced"] = r.enforced;
  j["allowed"] = r.allowed;
  j["mode"] = r.mode;
  j["rule"] = r.rule;
  j["reasons"] = r.reasons;
  if (r.policy_digest) j["policy_digest"] = *r.policy_digest;
  if (r.registration_digests)
    j["registration_digests"] = RegistrationDigestsJson(*r.registration_digests);
  if (r.policy_signature) j["policy_signature"] = *r.policy_signature;
  j["elapsed_us"] = r.elapsed_us;
  if (r.sandbox) j["sandbox"] = *r.sandbox;
  return j;
}

Status AppendDecision(const std::string& path, const DecisionLogRecord& record) {
  auto slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    VERIFIED_RETURN_IF_ERROR(MakeDirs(path.substr(0, slash), 0750));
  }
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return SysError(errno, "open decision log " + path);
  std::string line =
      DecisionLogJson(record).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  ssize_t n = write(fd, line.data(), line.size());
  int saved = errno;
  close(fd);
  if (n != static_cast<ssize_t>(line.size())) {
    return SysError(n < 0 ? saved : EIO, "write decision log " + path);
  }
  return Ok();
}

}  // namespace verified::shim
