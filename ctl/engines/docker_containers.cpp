#include "ctl/engines/docker_containers.h"

#include <sys/stat.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "ctl/engines/docker_api.h"
#include "ctl/engines/http_session.h"
#include "verifier/bundle/bundle_locator.h"
#include "verifier/core/json.h"
#include "verifier/image/digest.h"

namespace verified::ctl {
namespace {

constexpr const char* kDefaultSocket = "/var/run/docker.sock";

Result<nlohmann::json> GetJson(HttpSession& s, const std::string& path) {
  VERIFIED_ASSIGN_OR_RETURN(HttpResponse resp, s.Get(path));
  if (resp.status == 404) return MakeError(ErrorKind::kNotFound, "docker has no {}", path);
  if (resp.status < 200 || resp.status >= 300) {
    return MakeError(ErrorKind::kIo, "docker API {} returned {}: {}", path, resp.status,
                     resp.body.substr(0, 300));
  }
  return ParseJson(resp.body, "docker API " + path);
}

// Fills in the bundle of a running container from its init process. A failure is a note:
// the image can still be proven from the store, only spec requirements go unevaluated.
void LocateBundle(FoundContainer& c, pid_t pid) {
  if (!c.running) return;
  if (pid <= 0) {
    c.notes.push_back("the engine reports no init PID: OCI spec not read");
    return;
  }
  auto bundle = BundleOfInitPid(pid);
  if (bundle.ok()) {
    c.bundle = *bundle;
  } else {
    c.notes.push_back("OCI bundle not found (" + bundle.error().What() + ")");
  }
}

}  // namespace

DockerContainers::DockerContainers(std::string docker_host, int workers)
    : docker_host_(std::move(docker_host)), workers_(workers < 1 ? 1 : workers) {}

std::string DockerContainers::Where() const {
  return docker_host_.empty() ? std::string("unix://") + kDefaultSocket : docker_host_;
}

// Only the fields DockerContainerFromInspect reads are kept: an inspect document is ~6 KB,
// mostly HostConfig and NetworkSettings, and building and freeing all of it for hundreds of
// containers was a third of an audit's CPU. nlohmann's SAX parser is iterative and nothing
// deeper than three levels is kept, so no depth limit is needed here.
Result<nlohmann::json> ParseDockerInspect(const std::string& body, const std::string& what) {
  std::string path[4];
  auto keep = [&path](int depth, nlohmann::json::parse_event_t event,
                      nlohmann::json& parsed) -> bool {
    if (event == nlohmann::json::parse_event_t::object_start ||
        event == nlohmann::json::parse_event_t::array_start) {
      return depth <= 3;  // deeper values are never kept: do not even build them
    }
    if (event != nlohmann::json::parse_event_t::key) return true;
    if (depth < 1 || depth > 3) return false;
    path[depth] = parsed.get<std::string>();
    const std::string& k = path[depth];
    if (depth == 1) {
      return k == "Id" || k == "Name" || k == "Config" || k == "State" || k == "HostConfig" ||
             k == "GraphDriver";
    }
    const std::string& top = path[1];
    if (depth == 2) {
      return (top == "Config" && k == "Image") ||
             (top == "State" && (k == "Running" || k == "Status" || k == "Pid")) ||
             (top == "HostConfig" && k == "Runtime") ||
             (top == "GraphDriver" && (k == "Name" || k == "Data"));
    }
    return top == "GraphDriver" && path[2] == "Data" && k == "MergedDir";
  };
  auto j = nlohmann::json::parse(body, keep, /*allow_exceptions=*/false);
  if (j.is_discarded()) return MakeError(ErrorKind::kParse, "{}: malformed JSON", what);
  return j;
}

Result<std::vector<std::string>> DockerContainerIds(const nlohmann::json& list) {
  if (!list.is_array()) return MakeError(ErrorKind::kParse, "container list is not a list");
  std::vector<std::string> ids;
  for (const auto& c : list) {
    std::string id = c.is_object() ? JsonString(c, {"Id"}) : std::string();
    if (!IsHex64(id)) return MakeError(ErrorKind::kParse, "container list has an invalid Id");
    ids.push_back(std::move(id));
  }
  return ids;
}

Result<FoundContainer> DockerContainerFromInspect(const nlohmann::json& j) {
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "container inspect is not an object");
  FoundContainer c;
  c.engine = "docker";
  c.id = JsonString(j, {"Id"});
  if (!IsHex64(c.id)) return MakeError(ErrorKind::kParse, "container inspect has an invalid Id");
  c.name = JsonString(j, {"Name"});
  if (!c.name.empty() && c.name.front() == '/') c.name.erase(0, 1);
  c.image_typed = JsonString(j, {"Config", "Image"});
  c.running = JsonBool(j, {"State", "Running"});
  c.state = JsonString(j, {"State", "Status"});
  c.runtime = JsonString(j, {"HostConfig", "Runtime"});
  std::string driver = JsonString(j, {"GraphDriver", "Name"});
  c.rootfs = JsonString(j, {"GraphDriver", "Data", "MergedDir"});
  if (c.rootfs.empty()) {
    c.notes.push_back("storage driver '" + driver + "' reports no MergedDir");
  }
  return c;
}

Result<std::optional<std::vector<FoundContainer>>> DockerContainers::List(
    bool include_stopped) const {
  using Out = std::optional<std::vector<FoundContainer>>;
  VERIFIED_ASSIGN_OR_RETURN(Endpoint ep, DockerEndpoint(docker_host_));
  struct stat st;
  if (docker_host_.empty() && stat(kDefaultSocket, &st) != 0) return Out();  // no Docker here
  HttpSession lister(ep);
  VERIFIED_ASSIGN_OR_RETURN(
      nlohmann::json list,
      GetJson(lister, std::string("/containers/json") + (include_stopped ? "?all=1" : "")));
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> ids, DockerContainerIds(list));

  std::vector<std::optional<Result<FoundContainer>>> found(ids.size());
  std::vector<pid_t> pids(ids.size(), 0);
  std::atomic<size_t> next{0};
  auto work = [&](HttpSession& s) {
    for (size_t i = next++; i < ids.size(); i = next++) {
      std::string path = "/containers/" + ids[i] + "/json";
      auto resp = s.Get(path);
      Result<nlohmann::json> inspect =
          !resp.ok() ? Result<nlohmann::json>(std::move(resp).error())
          : resp->status == 404
              ? Result<nlohmann::json>(MakeError(ErrorKind::kNotFound, "no {}", path))
          : resp->status != 200
              ? Result<nlohmann::json>(
                    MakeError(ErrorKind::kIo, "docker API {} returned {}", path, resp->status))
              : ParseDockerInspect(resp->body, "docker API " + path);
      if (!inspect.ok() && inspect.error().kind() == ErrorKind::kNotFound) continue;  // removed
      if (!inspect.ok()) {
        found[i] = Result<FoundContainer>(std::move(inspect).error());
        continue;
      }
      pids[i] = static_cast<pid_t>(JsonInt(*inspect, {"State", "Pid"}));
      found[i] = DockerContainerFromInspect(*inspect);
    }
  };
  size_t nthreads = std::min<size_t>(static_cast<size_t>(workers_), ids.size());
  std::vector<std::thread> threads;
  for (size_t t = 1; t < nthreads; ++t) {
    threads.emplace_back([&] {
      HttpSession own(ep);
      work(own);
    });
  }
  work(lister);  // the listing connection works too
  for (auto& t : threads) t.join();

  std::vector<FoundContainer> out;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!found[i]) continue;
    if (!found[i]->ok()) {
      return Wrap(std::move(*found[i]).error(), "docker container {}", ids[i].substr(0, 12));
    }
    FoundContainer c = std::move(*found[i]).value();
    if (!include_stopped && !c.running) continue;  // stopped between list and inspect
    LocateBundle(c, pids[i]);
    out.push_back(std::move(c));
  }
  return Out(std::move(out));
}

}  // namespace verified::ctl
