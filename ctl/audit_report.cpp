#include "ctl/audit_report.h"

#include <fmt/format.h>

#include "ctl/verdict_print.h"

namespace verified::ctl {
namespace {

std::string Short(const std::string& id) {
  std::string hex = id.rfind("sha256:", 0) == 0 ? id.substr(7) : id;
  return hex.size() > 12 ? hex.substr(0, 12) : hex;
}

std::string Or(const std::string& s, const char* fallback) { return s.empty() ? fallback : s; }

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::string VerdictWord(const AuditRow& r) { return r.compliant ? "allow" : "DENY"; }

// The image as typed: the engine's record, else what the store resolver found (containerd
// keeps the name in its metadata, not in the task dir).
std::string Typed(const AuditRow& r) {
  if (!r.container.image_typed.empty() || !r.image) return r.container.image_typed;
  return r.image->typed_reference;
}

size_t Compliant(const AuditReport& report) {
  size_t n = 0;
  for (const auto& r : report.rows) n += r.compliant ? 1 : 0;
  return n;
}

}  // namespace

std::string HumanSize(int64_t bytes) {
  if (bytes < 0) return "-";
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  size_t u = 0;
  while (v >= 1000 && u + 1 < std::size(units)) {
    v /= 1000;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, units[u]);
}

nlohmann::ordered_json AuditJson(const AuditReport& report) {
  nlohmann::ordered_json j;
  j["mode"] = AuditModeName(report.mode);
  j[report.mode == AuditMode::kPolicy ? "policy_digest" : "image_file"] = report.source;
  nlohmann::ordered_json engines = nlohmann::ordered_json::array();
  for (const auto& e : report.engines) {
    nlohmann::ordered_json ej{{"engine", e.engine}, {"where", e.where}, {"status", e.status}};
    if (e.status == "error") ej["error"] = e.error;
    if (e.status == "ok") ej["containers"] = e.containers;
    engines.push_back(std::move(ej));
  }
  j["engines"] = std::move(engines);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& r : report.rows) {
    const auto& c = r.container;
    nlohmann::ordered_json rj;
    rj["engine"] = c.engine;
    rj["container"] = c.id;
    rj["name"] = c.name;
    rj["image"] = Typed(r);
    rj["image_id"] = r.image ? r.image->image_id : "";
    rj["top_chain_id"] = r.image ? r.image->TopChainId() : "";
    rj["runtime"] = c.runtime;
    rj["state"] = c.state;
    rj["bundle"] = c.bundle;
    rj["spec_evaluated"] = r.have_spec;
    rj["compliant"] = r.compliant;
    rj["verdict"] = VerdictJson(r.verdict);
    rj["reasons"] = AuditReasons(r.verdict);
    rj["notes"] = r.notes;
    if (r.image) rj["store"] = r.image->engine;
    if (!r.layers.empty()) {
      nlohmann::ordered_json layers = nlohmann::ordered_json::array();
      for (const auto& l : r.layers) {
        nlohmann::ordered_json lj{{"diff_id", l.diff_id}, {"chain_id", l.chain_id}};
        lj["size"] = l.size >= 0 ? nlohmann::ordered_json(l.size) : nlohmann::ordered_json();
        layers.push_back(std::move(lj));
      }
      rj["layers"] = std::move(layers);
    }
    rows.push_back(std::move(rj));
  }
  j["containers"] = std::move(rows);
  size_t ok = Compliant(report);
  j["summary"] = {{"containers", report.rows.size()},
                  {"compliant", ok},
                  {"noncompliant", report.rows.size() - ok}};
  j["exit_code"] = report.exit_code;
  return j;
}

void PrintAuditTable(std::FILE* out, const AuditReport& report, bool layers) {
  struct Line {
    std::string cols[7];
    std::string reasons;
  };
  std::vector<Line> lines;
  lines.push_back(
      {{"CONTAINER", "NAME", "IMAGE", "IMAGE ID", "TOP CHAIN", "RUNTIME", "VERDICT"}, "REASONS"});
  for (const auto& r : report.rows) {
    const auto& c = r.container;
    lines.push_back(
        {{Short(c.id), Or(c.name, "-"), Or(Typed(r), "-"), r.image ? Short(r.image->image_id) : "-",
          r.image ? Or(Short(r.image->TopChainId()), "-") : "-", Or(c.runtime, "-"),
          VerdictWord(r)},
         Join(AuditReasons(r.verdict), "; ")});
  }
  size_t width[7] = {0};
  for (const auto& l : lines) {
    for (size_t i = 0; i < 7; ++i)
      width[i] = std::max(width[i], std::min<size_t>(l.cols[i].size(), 40));
  }
  for (size_t k = 0; k < lines.size(); ++k) {
    std::string row;
    for (size_t i = 0; i < 7; ++i) {
      std::string cell = lines[k].cols[i];
      if (cell.size() > 40) {
        cell.resize(39);  // in place: `substr + "~"` trips GCC 12's PR105329 at -O3
        cell += '~';
      }
      row += fmt::format("{:<{}}  ", cell, width[i]);
    }
    fmt::print(out, "{}{}\n", row, lines[k].reasons);
    if (k == 0 || !layers) continue;
    const AuditRow& r = report.rows[k - 1];
    for (size_t i = 0; i < r.layers.size(); ++i) {
      fmt::print(out, "    layer {:>3}  diff {}  chain {}  {}\n", i + 1, r.layers[i].diff_id,
                 r.layers[i].chain_id, HumanSize(r.layers[i].size));
    }
  }
  for (const auto& e : report.engines) {
    if (e.status == "error") fmt::print(out, "error: {} at {}: {}\n", e.engine, e.where, e.error);
  }
  std::vector<std::string> seen;
  for (const auto& e : report.engines) {
    seen.push_back(e.status == "ok" ? fmt::format("{} {}", e.engine, e.containers)
                                    : fmt::format("{} {}", e.engine, e.status));
  }
  size_t ok = Compliant(report);
  fmt::print(out, "{} containers ({}): {} compliant, {} not; mode {}{}\n", report.rows.size(),
             Join(seen, ", "), ok, report.rows.size() - ok, AuditModeName(report.mode),
             report.source.empty() ? "" : " (" + report.source + ")");
}

}  // namespace verified::ctl
