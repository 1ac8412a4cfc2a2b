#include "shim/decision_log.h"

#include <fcntl.h>
#include <unistd.h>

#include "shim/refusal.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"

namespace verified::shim {

nlohmann::ordered_json DecisionRecord(const Decision& d, const std::string& command,
                                      const std::string& container_id) {
  const Verdict& v = d.verdict;
  nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
  for (const auto& f : v.findings) {
    if (f.outcome == Outcome::kFail) reasons.push_back(f.requirement + ": " + f.message);
  }
  if (reasons.empty()) reasons.push_back(v.reason);
  nlohmann::ordered_json j;
  j["time"] = Rfc3339Now();
  j["command"] = command;
  j["container"] = container_id;
  j["engine"] = d.engine;
  j["image"] = v.image;
  j["image_id"] = v.image_id;
  j["chain_id"] = d.top_chain_id;
  j["verdict"] = ActionName(v.decision);
  j["enforced"] = v.mode == Mode::kEnforce;
  j["allowed"] = v.Allowed();
  j["mode"] = ModeName(v.mode);
  j["rule"] = v.rule;
  j["reasons"] = reasons;
  j["policy_digest"] = d.policy_digest;
  j["elapsed_us"] = d.elapsed_us;
  return j;
}

Status AppendDecision(const std::string& path, const nlohmann::ordered_json& record) {
  auto slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    VERIFIED_RETURN_IF_ERROR(MakeDirs(path.substr(0, slash), 0750));
  }
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return SysError(errno, "open decision log " + path);
  std::string line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  ssize_t n = write(fd, line.data(), line.size());
  int saved = errno;
  close(fd);
  if (n != static_cast<ssize_t>(line.size())) {
    return SysError(n < 0 ? saved : EIO, "write decision log " + path);
  }
  return Ok();
}

}  // namespace verified::shim
