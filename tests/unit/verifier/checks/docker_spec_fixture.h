// Test helper: the config.json Docker 20.10 writes for `docker run IMAGE` (captured from a
// real dockerd on this project's test machine, trimmed), for the sealed checks to mutate.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace verified::testing {

/// A default Docker spec for a container of data-root `data_root` and id `cid` whose image
/// runs `/app/canary serve` as uid 1000.
inline nlohmann::json DockerSpec(const std::string& data_root, const std::string& cid) {
  std::string c = data_root + "/containers/" + cid;
  auto caps = nlohmann::json::array({"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
                                     "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID",
                                     "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
                                     "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"});
  return nlohmann::json{
      {"ociVersion", "1.0.2-dev"},
      {"process",
       {{"user", {{"uid", 1000}, {"gid", 1000}, {"additionalGids", {1000}}}},
        {"args", {"/app/canary", "serve"}},
        {"env",
         {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "HOSTNAME=0123456789ab"}},
        {"cwd", "/"},
        {"capabilities",
         {{"bounding", caps}, {"effective", caps}, {"permitted", caps}, {"inheritable", caps}}}}},
      {"root", {{"path", data_root + "/overlay2/abc/merged"}}},
      {"mounts",
       {{{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}},
        {{"destination", "/dev"}, {"type", "tmpfs"}, {"source", "tmpfs"}},
        {{"destination", "/dev/pts"}, {"type", "devpts"}, {"source", "devpts"}},
        {{"destination", "/sys"}, {"type", "sysfs"}, {"source", "sysfs"}},
        {{"destination", "/sys/fs/cgroup"}, {"type", "cgroup"}, {"source", "cgroup"}},
        {{"destination", "/dev/mqueue"}, {"type", "mqueue"}, {"source", "mqueue"}},
        {{"destination", "/dev/shm"}, {"type", "tmpfs"}, {"source", "shm"}},
        {{"destination", "/etc/resolv.conf"},
         {"type", "bind"},
         {"source", c + "/resolv.conf"},
         {"options", {"rbind", "rprivate"}}},
        {{"destination", "/etc/hostname"},
         {"type", "bind"},
         {"source", c + "/hostname"},
         {"options", {"rbind", "rprivate"}}},
        {{"destination", "/etc/hosts"},
         {"type", "bind"},
         {"source", c + "/hosts"},
         {"options", {"rbind", "rprivate"}}}}},
      {"linux",
       {{"resources",
         {{"devices",
           {{{"allow", false}, {"access", "rwm"}},
            {{"allow", true}, {"type", "c"}, {"major", 1}, {"minor", 5}, {"access", "rwm"}}}}}},
        {"namespaces",
         {{{"type", "mount"}},
          {{"type", "network"}},
          {{"type", "uts"}},
          {{"type", "pid"}},
          {{"type", "ipc"}}}},
        {"seccomp",
         {{"defaultAction", "SCMP_ACT_ERRNO"},
          {"architectures", {"SCMP_ARCH_X86_64"}},
          {"syscalls",
           {{{"names", {"read", "write", "exit_group"}}, {"action", "SCMP_ACT_ALLOW"}}}}}},
        {"maskedPaths", {"/proc/kcore", "/proc/keys"}},
        {"readonlyPaths", {"/proc/bus", "/proc/sys"}}}}};
}

}  // namespace verified::testing
