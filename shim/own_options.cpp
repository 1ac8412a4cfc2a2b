#include "shim/own_options.h"

#include "verifier/config/config_dir.h"
#include "verifier/config/state_dir.h"
#include "verifier/seal/seal_index.h"

namespace verified::shim {

Result<OwnOptions> ParseOwnOptions(const std::vector<std::string>& args,
                                   const std::string& env_config_dir,
                                   const std::string& env_seal_dir,
                                   const std::string& env_state_dir) {
  OwnOptions o;
  o.config_dir = env_config_dir.empty() ? kDefaultConfigDir : env_config_dir;
  o.seal_dir = env_seal_dir.empty() ? kDefaultSealDir : env_seal_dir;
  o.state_dir = env_state_dir.empty() ? kDefaultStateDir : env_state_dir;
  size_t i = 0;
  while (i < args.size()) {
    const std::string& a = args[i];
    std::string* target = nullptr;
    std::string name;
    for (auto [opt, field] :
         {std::pair{"--config-dir", &o.config_dir}, std::pair{"--runc", &o.runc},
          std::pair{"--seal-dir", &o.seal_dir}, std::pair{"--state-dir", &o.state_dir}}) {
      std::string o_name(opt);
      if (a == o_name || a.rfind(o_name + "=", 0) == 0) {
        name = o_name;
        target = field;
      }
    }
    if (target == nullptr) break;
    if (a == name) {
      if (i + 1 >= args.size() || args[i + 1].empty()) {
        return MakeError(ErrorKind::kInvalidArgument, "{} needs a value", name);
      }
      *target = args[i + 1];
      i += 2;
    } else {
      *target = a.substr(name.size() + 1);
      if (target->empty()) return MakeError(ErrorKind::kInvalidArgument, "{} needs a value", name);
      ++i;
    }
  }
  o.consumed = i;
  return o;
}

}  // namespace verified::shim
