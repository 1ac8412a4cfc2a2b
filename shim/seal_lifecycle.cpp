#include "shim/seal_lifecycle.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>

#include "shim/seal_guard.h"
#include "verifier/core/json.h"
#include "verifier/decision/ns_join.h"
#include "verifier/fs/dir.h"
#include "verifier/seal/seal_index.h"
#include "verifier/seal/seal_record.h"

namespace verified::shim {
namespace {

// The init pid runc recorded in <root>/<id>/state.json; 0 when there is none.
long InitPidOf(const std::string& root, const std::string& id) {
  auto dir = Dir::Open(root);
  if (!dir.ok()) return 0;
  auto text = dir->ReadFile(id + "/state.json", kMaxSpecBytes);
  if (!text.ok()) return 0;
  auto j = ParseJson(*text, "runc state.json");
  if (!j.ok()) return 0;
  return static_cast<long>(JsonInt(*j, {"init_process_pid"}, 0));
}

// Writes an ns- entry per namespace the sealed container created, and lists them in its
// seal record so that `delete` can remove them.
Status IndexNamespaces(const std::string& root, SealRecord rec, const std::string& seal_dir) {
  long pid = InitPidOf(root, rec.container_id);
  if (pid <= 0) {
    return MakeError(ErrorKind::kNotFound, "runc's state of {} names no init process",
                     rec.container_id);
  }
  for (const std::string& type : rec.namespaces) {
    std::string ns = "/proc/" + std::to_string(pid) + "/ns/" + NamespaceFile(type);
    struct stat st;
    if (stat(ns.c_str(), &st) != 0) {
      if (errno == ENOENT && type != "pid") continue;  // a type this kernel lacks
      return SysError(errno, "stat " + ns);
    }
    SealEntry e = SealEntryFor(rec, root);
    e.ns_type = type;
    e.init_pid = pid;
    std::string name =
        NsEntryName(FileKey{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)});
    VERIFIED_RETURN_IF_ERROR(WriteSealEntry(seal_dir, name, e));
    rec.index_entries.push_back(name);
  }
  return WriteSealRecord(root, rec);
}

void DropIndexEntries(const std::string& root, const SealRecord& rec, const std::string& seal_dir) {
  long pid = InitPidOf(root, rec.container_id);
  if (pid > 0 && kill(static_cast<pid_t>(pid), 0) == 0) return;  // still running: runc may fail
  for (const std::string& name : rec.index_entries) {
    auto e = ReadSealEntry(seal_dir, name);
    if (!e.ok() || !e->has_value()) continue;
    if ((*e)->container_id == rec.container_id && (*e)->runc_root == root) {
      (void)RemoveSealEntry(seal_dir, name);
    }
  }
}

}  // namespace

std::optional<std::string> GuardSealLifecycle(const std::vector<std::string>& runc_args,
                                              const RuncCommandLine& cl,
                                              const std::string& seal_dir) {
  const std::string& sub = cl.subcommand;
  if (sub != "checkpoint" && sub != "start" && sub != "delete") return std::nullopt;
  if (cl.globals.help) return std::nullopt;
  std::string root = RuncRoot(cl.globals);
  for (size_t i = cl.subcommand_index + 1; i < runc_args.size(); ++i) {
    const std::string& id = runc_args[i];
    if (!IsValidContainerId(id)) continue;
    auto rec = ReadSealRecord(root, id);
    if (!rec.ok()) {
      if (sub == "delete") continue;
      return "verified: refused " + sub + " of container " + id +
             ": its seal record cannot be trusted: " + rec.error().What();
    }
    if (!rec->has_value() || (*rec)->mode != "enforce") continue;
    const SealRecord& r = **rec;
    std::string image = r.image.empty() ? r.image_id : r.image;
    if (sub == "checkpoint") {
      return "verified: refused checkpoint of container " + id + ": it runs sealed image " + image +
             ", sealed by " + r.rule +
             ": a checkpoint writes the sealed process's memory to a directory of the "
             "caller's choosing";
    }
    if (sub == "delete") {
      DropIndexEntries(root, r, seal_dir);
      continue;
    }
    if (Status s = IndexNamespaces(root, r, seal_dir); !s.ok()) {
      return "verified: refused start of container " + id + " (sealed image " + image +
             "): cannot record its namespaces in the seal index: " + s.error().What();
    }
  }
  return std::nullopt;
}

}  // namespace verified::shim
