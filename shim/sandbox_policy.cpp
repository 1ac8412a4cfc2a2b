#include "shim/sandbox_policy.h"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace verified::shim {
namespace {

// Landlock's kernel ABI (Documentation/userspace-api/landlock.rst). The installed UAPI header
// may be older than the kernel: the rights added by later ABIs are spelled out here.
constexpr uint64_t kFsRightsAbi1 = (1ULL << 13) - 1;  // EXECUTE .. MAKE_SYM
constexpr uint64_t kFsRefer = 1ULL << 13;             // ABI 2
constexpr uint64_t kFsTruncate = 1ULL << 14;          // ABI 3
constexpr uint64_t kFsIoctlDev = 1ULL << 15;          // ABI 5
constexpr uint64_t kNetBindConnectTcp = 3;            // ABI 4
constexpr uint64_t kScopeUnixAndSignal = 3;           // ABI 6
constexpr uint64_t kReadOnly = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;

// struct landlock_ruleset_attr as of ABI 6; the kernel takes the size it is given.
struct RulesetAttr {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
};

struct PathBeneathAttr {
  uint64_t allowed_access;
  int32_t parent_fd;
} __attribute__((packed));

Error Errno(const char* what) {
  return MakeError(ErrorKind::kIo, "{}: {}", what, std::strerror(errno));
}

Status SetLimit(int resource, rlim_t soft, rlim_t hard, const char* name) {
  struct rlimit r = {soft, hard};
  if (setrlimit(resource, &r) != 0) return Errno(name);
  return Ok();
}

// True in AddressSanitizer builds (gcc and clang spell it differently).
constexpr bool kAddressSanitizer =
#if defined(__SANITIZE_ADDRESS__)
    true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    true;
#else
    false;
#endif
#else
    false;
#endif

Status ApplyLimits(const SandboxLimits& limits) {
  VERIFIED_RETURN_IF_ERROR(
      SetLimit(RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds + 1, "setrlimit RLIMIT_CPU"));
  if (!kAddressSanitizer) {
    VERIFIED_RETURN_IF_ERROR(
        SetLimit(RLIMIT_DATA, limits.memory_bytes, limits.memory_bytes, "setrlimit RLIMIT_DATA"));
  }
  // Writes are refused anyway; a zero size limit makes any that slipped through fail too.
  return SetLimit(RLIMIT_FSIZE, 0, 0, "setrlimit RLIMIT_FSIZE");
}

// Applies the read-only Landlock domain; returns its description. A kernel without Landlock
// is said, not an error: seccomp alone still forbids every write.
Result<std::string> ApplyLandlock() {
  int abi = LandlockAbi();
  if (abi <= 0) return std::string("no landlock (kernel lacks it)");
  RulesetAttr attr{kFsRightsAbi1, 0, 0};
  if (abi >= 2) attr.handled_access_fs |= kFsRefer;
  if (abi >= 3) attr.handled_access_fs |= kFsTruncate;
  if (abi >= 5) attr.handled_access_fs |= kFsIoctlDev;
  if (abi >= 4) attr.handled_access_net = kNetBindConnectTcp;
  if (abi >= 6) attr.scoped = kScopeUnixAndSignal;
  size_t size = abi >= 6 ? sizeof(RulesetAttr) : abi >= 4 ? 16 : 8;
  int ruleset = static_cast<int>(syscall(SYS_landlock_create_ruleset, &attr, size, 0));
  if (ruleset < 0) return Errno("landlock_create_ruleset");
  // The whole tree, read-only: the stores a decision reads are found during it (the data
  // roots named by root.path, the mount table and the engines' defaults), so no narrower set
  // of paths is known beforehand.
  int root = open("/", O_PATH | O_CLOEXEC);
  if (root < 0) {
    close(ruleset);
    return Errno("open / for landlock");
  }
  PathBeneathAttr rule{kReadOnly, root};
  long added = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
  int add_errno = errno;
  close(root);
  if (added != 0) {
    close(ruleset);
    errno = add_errno;
    return Errno("landlock_add_rule");
  }
  long restricted = syscall(SYS_landlock_restrict_self, ruleset, 0);
  int restrict_errno = errno;
  close(ruleset);
  if (restricted != 0) {
    errno = restrict_errno;
    return Errno("landlock_restrict_self");
  }
  return "landlock ABI " + std::to_string(abi);
}

using Filter = std::unique_ptr<void, void (*)(scmp_filter_ctx)>;

// Allowed outright. Names unknown on this architecture are skipped (seccomp_syscall_resolve
// fails): a call that does not exist cannot be made.
constexpr const char* kAllowed[] = {
    // files and directories, read side
    "read", "readv", "pread64", "preadv", "preadv2", "lseek", "close", "close_range", "fstat",
    "newfstatat", "stat", "lstat", "statx", "fstatfs", "statfs", "getdents", "getdents64",
    "readlink", "readlinkat", "access", "faccessat", "faccessat2", "getcwd", "fcntl", "dup",
    "fadvise64", "readahead", "getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr",
    "flistxattr",
    // memory
    "brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "membarrier",
    // threads and synchronisation
    "futex", "set_robust_list", "get_robust_list", "rseq", "set_tid_address", "sched_yield",
    "sched_getaffinity", "gettid", "getpid", "getppid",
    // identity, time, randomness, signals, exit
    "getuid", "geteuid", "getgid", "getegid", "getgroups", "getresuid", "getresgid",
    "clock_gettime", "clock_getres", "gettimeofday", "time", "clock_nanosleep", "nanosleep",
    "getrandom", "uname", "sysinfo", "getrusage", "times", "getrlimit", "rt_sigaction",
    "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "restart_syscall", "exit", "exit_group"};

// Killed at once: running another program or reading another process's memory is never part
// of a decision; a sandboxed decision that tries is treated as compromised.
constexpr const char* kKilled[] = {"execve", "execveat", "ptrace", "process_vm_readv",
                                   "process_vm_writev"};

// statmount(2) and listmount(2): newer than the libseccomp here; the number is the same on
// x86_64 and arm64 (the unified syscall table), as verifier/bundle/mount_lookup.cpp uses it.
constexpr int kSysStatmount = 457;
constexpr int kSysListmount = 458;

Status Rule(scmp_filter_ctx f, uint32_t action, int nr, std::initializer_list<scmp_arg_cmp> args,
            const char* name) {
  int rc = seccomp_rule_add_array(f, action, nr, static_cast<unsigned>(args.size()),
                                  args.size() != 0 ? args.begin() : nullptr);
  if (rc != 0) return MakeError(ErrorKind::kIo, "seccomp rule for {}: {}", name, strerror(-rc));
  return Ok();
}

Status ApplySeccomp(int answer_fd, bool landlocked) {
  Filter f(seccomp_init(SCMP_ACT_ERRNO(EPERM)), seccomp_release);
  if (!f) return MakeError(ErrorKind::kIo, "seccomp_init failed");
  scmp_filter_ctx ctx = f.get();
  for (const char* name : kAllowed) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr != __NR_SCMP_ERROR) VERIFIED_RETURN_IF_ERROR(Rule(ctx, SCMP_ACT_ALLOW, nr, {}, name));
  }
  for (const char* name : kKilled) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr != __NR_SCMP_ERROR) {
      VERIFIED_RETURN_IF_ERROR(Rule(ctx, SCMP_ACT_KILL_PROCESS, nr, {}, name));
    }
  }
#if defined(__x86_64__) || defined(__aarch64__)
  VERIFIED_RETURN_IF_ERROR(Rule(ctx, SCMP_ACT_ALLOW, kSysStatmount, {}, "statmount"));
  VERIFIED_RETURN_IF_ERROR(Rule(ctx, SCMP_ACT_ALLOW, kSysListmount, {}, "listmount"));
#endif
  // Opening for reading only. O_TMPFILE's own bit (without O_DIRECTORY) is 020000000.
  const scmp_datum_t write_flags = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND | 020000000;
  VERIFIED_RETURN_IF_ERROR(Rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat),
                                {SCMP_A2(SCMP_CMP_MASKED_EQ, write_flags, 0)}, "openat"));
  if (int nr = seccomp_syscall_resolve_name("open"); nr != __NR_SCMP_ERROR) {
    VERIFIED_RETURN_IF_ERROR(
        Rule(ctx, SCMP_ACT_ALLOW, nr, {SCMP_A1(SCMP_CMP_MASKED_EQ, write_flags, 0)}, "open"));
  }
  // openat2 and clone3 pass their flags in memory the filter cannot read. glibc falls back to
  // clone on ENOSYS. openat2 is how content verification opens layer files beneath their root
  // (RESOLVE_BENEATH, verifier/content/disk.cpp): allowed only under Landlock, which refuses
  // a write open whatever the flags; without it, ENOSYS (such a decision then fails closed).
  VERIFIED_RETURN_IF_ERROR(Rule(ctx, landlocked ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(ENOSYS),
                                SCMP_SYS(openat2), {}, "openat2"));
  VERIFIED_RETURN_IF_ERROR(Rule(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), {}, "clone3"));
  // Threads only: CLONE_THREAD set, no namespace flag (content verification hashes layers on
  // worker threads; a fork or a new namespace is never needed).
  const scmp_datum_t ns_or_thread = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
                                    CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP | CLONE_THREAD;
  VERIFIED_RETURN_IF_ERROR(Rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone),
                                {SCMP_A0(SCMP_CMP_MASKED_EQ, ns_or_thread, CLONE_THREAD)},
                                "clone"));
  for (int nr : {SCMP_SYS(write), SCMP_SYS(writev)}) {
    VERIFIED_RETURN_IF_ERROR(Rule(ctx, SCMP_ACT_ALLOW, nr,
                                  {SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(answer_fd))},
                                  "write to the answer fd"));
  }
  // Signals to itself only (abort() raises SIGABRT with tgkill).
  const auto self = static_cast<scmp_datum_t>(getpid());
  VERIFIED_RETURN_IF_ERROR(
      Rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), {SCMP_A0(SCMP_CMP_EQ, self)}, "kill"));
  VERIFIED_RETURN_IF_ERROR(
      Rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), {SCMP_A0(SCMP_CMP_EQ, self)}, "tgkill"));
  // prlimit64 to read limits only (new_limit NULL).
  VERIFIED_RETURN_IF_ERROR(
      Rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), {SCMP_A2(SCMP_CMP_EQ, 0)}, "prlimit64"));
  int rc = seccomp_load(ctx);
  if (rc != 0) return MakeError(ErrorKind::kIo, "seccomp_load: {}", strerror(-rc));
  return Ok();
}

}  // namespace

int LandlockAbi() {
  long abi = syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  return abi > 0 ? static_cast<int>(abi) : 0;
}

Result<std::string> ConfineSelf(int answer_fd, const SandboxLimits& limits) {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Errno("prctl PR_SET_NO_NEW_PRIVS");
  VERIFIED_RETURN_IF_ERROR(ApplyLimits(limits));
  VERIFIED_ASSIGN_OR_RETURN(std::string landlock, ApplyLandlock());
  VERIFIED_RETURN_IF_ERROR(ApplySeccomp(answer_fd, landlock.rfind("landlock ABI", 0) == 0));
  return "no_new_privs, limits, " + landlock + ", seccomp";
}

}  // namespace verified::shim
