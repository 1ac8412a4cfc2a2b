#include "unit/faults/runtime_harness.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "shim/runtime.h"

namespace verified::testing {
namespace {

// The child: private mounts, the container's overlay, then the runtime itself. Never returns.
[[noreturn]] void RunChild(const RuntimeHost& h, const std::vector<std::string>& args,
                           const DirFault& fault, int err_fd) {
  dup2(err_fd, STDERR_FILENO);
  if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr)) {
    _exit(200);
  }
  MountEntry m = h.tree.MountFor(h.container, h.image);
  std::string data = m.super_options.substr(m.super_options.find("lowerdir="));
  MakeDir(h.tree.root() + "/overlay2/" + h.container.mount_id + "/work");
  if (mount("overlay", h.container.rootfs.c_str(), "overlay", 0, data.c_str()) != 0) _exit(201);
  if (fault.kind == DirFault::kFullTmpfs) {
    MakeDir(fault.dir);
    std::string opts = "size=" + std::to_string(fault.tmpfs_bytes);
    if (mount("tmpfs", fault.dir.c_str(), "tmpfs", 0, opts.c_str()) != 0) _exit(202);
    // Fill it: a disk that is full when the decision is logged.
    int fd = open((fault.dir + "/filler").c_str(), O_WRONLY | O_CREAT, 0600);
    std::string block(4096, 'x');
    while (fd >= 0 && write(fd, block.data(), block.size()) > 0) {
    }
    if (fd >= 0) close(fd);
  } else if (fault.kind == DirFault::kReadOnly) {
    // Root ignores mode bits, not a read-only mount.
    MakeDir(fault.dir);
    if (mount(fault.dir.c_str(), fault.dir.c_str(), nullptr, MS_BIND, nullptr) != 0 ||
        mount(nullptr, fault.dir.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr)) {
      _exit(203);
    }
  }
  _exit(shim::RunRuntime(args) & 0xff);
}

std::string RefusalFrom(const std::string& log, const std::string& stderr_text) {
  std::istringstream in(log);
  std::string line, msg;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("msg") && j["msg"].is_string()) msg = j["msg"];
  }
  return msg.empty() ? stderr_text : msg;
}

}  // namespace

RuntimeHost::RuntimeHost() : tree(tmp / "docker") {
  image = tree.AddImage({"base", "app"}, {"app:1"});
  container = tree.AddContainer(image, "app:1");
  WriteFile(tmp / "bundle/config.json", R"({"ociVersion":"1.0.2","root":{"path":")" +
                                            container.rootfs +
                                            R"("},"process":{"args":["sh"],"cwd":"/"}})");
  config_dir = tmp / "cfg";
  WriteFile(config_dir + "/policy.json", R"({"default":"allow"})");
  canary = tmp / "canary";
  fake_runc = tmp / "bin/runc";
  WriteFile(fake_runc, "#!/bin/sh\necho ran > " + canary + "\n", 0755);
  log = tmp / "runc.log";
  Settings(fake_runc, tmp / "log/decisions.log");
}

void RuntimeHost::Settings(const std::string& runc, const std::string& decision_log) {
  WriteFile(config_dir + "/runtime.json",
            nlohmann::json{{"runc", runc}, {"decision_log", decision_log}}.dump());
}

RuntimeRun RuntimeHost::Create(const std::string& id, const DirFault& fault) {
  return Run({"create", "--bundle", tmp / "bundle", id.empty() ? container.id : id}, fault);
}

RuntimeRun RuntimeHost::Run(const std::vector<std::string>& runc_args, const DirFault& fault) {
  std::vector<std::string> args = {"--config-dir", config_dir,    "--seal-dir",   tmp / "seals",
                                   "--state-dir",  tmp / "state", "--root",       tmp / "runc-root",
                                   "--log",        log,           "--log-format", "json"};
  args.insert(args.end(), runc_args.begin(), runc_args.end());
  unlink(canary.c_str());
  unlink(log.c_str());
  int fds[2];
  RuntimeRun r;
  if (pipe(fds) != 0) return r;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    RunChild(*this, args, fault, fds[1]);
  }
  close(fds[1]);
  std::string err;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof(buf))) > 0;)
    err.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int ws = 0;
  waitpid(pid, &ws, 0);
  r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
  r.ran_runc = access(canary.c_str(), F_OK) == 0;
  r.message = RefusalFrom(ReadFile(log), err);
  return r;
}

}  // namespace verified::testing
