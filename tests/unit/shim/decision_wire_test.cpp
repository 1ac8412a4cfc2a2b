// The sandboxed decision's answer: a round trip keeps what the parent acts on, and the parser
// refuses anything but exactly that shape.
#include "shim/decision_wire.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace verified::shim {
namespace {

Decision Sample() {
  Decision d;
  d.verdict.decision = Action::kAllow;
  d.verdict.mode = Mode::kAudit;
  d.verdict.image = "alpine:3.20";
  d.verdict.image_id = "sha256:" + std::string(64, 'a');
  d.verdict.rule = "rule 2 'alpine:*'";
  d.verdict.kind = RuleKind::kRule;
  d.verdict.rule_index = 2;
  d.verdict.reason = "allowed by rule 2";
  d.verdict.findings.push_back({"registered", Outcome::kFail, "not registered", "e", "a"});
  d.engine = "docker-overlay2";
  d.top_chain_id = "sha256:" + std::string(64, 'b');
  d.policy_digest = "sha256:" + std::string(64, 'c');
  d.registrations["images/by-name/a.json"] = {"sha256:" + std::string(64, 'd'), std::nullopt};
  d.registrations["images/by-chain/b.json"] = {std::nullopt};
  d.policy_signature = "signed policy: version 3";
  d.elapsed_us = 812;
  d.rootfs = "/var/lib/docker/overlay2/x/merged";
  d.seal = SealIntent{"cid", "alpine:3.20", "sha256:1", "rule 2", Mode::kEnforce, {"net", "ipc"}};
  d.steps.push_back({"policy", 10, "digest ..."});
  d.notes.push_back("a note");
  return d;
}

TEST(DecisionWire, RoundTrip) {
  std::vector<DeferredWrite> writes = {{"/var/lib/verified/policy-version", "{\"version\":3}"},
                                       {"/c/content-cache/manifests/ab", std::string("\0\xff", 2)}};
  auto a = ParseDecisionAnswer(SerializeDecisionAnswer(Sample(), writes));
  ASSERT_TRUE(a.ok()) << a.error().What();
  const Decision& d = a->decision;
  Decision s = Sample();
  EXPECT_EQ(d.verdict.decision, s.verdict.decision);
  EXPECT_EQ(d.verdict.mode, s.verdict.mode);
  EXPECT_EQ(d.verdict.image, s.verdict.image);
  EXPECT_EQ(d.verdict.image_id, s.verdict.image_id);
  EXPECT_EQ(d.verdict.rule, s.verdict.rule);
  EXPECT_EQ(d.verdict.kind, s.verdict.kind);
  EXPECT_EQ(d.verdict.rule_index, 2u);
  EXPECT_EQ(d.verdict.reason, s.verdict.reason);
  ASSERT_EQ(d.verdict.findings.size(), 1u);
  EXPECT_EQ(d.verdict.findings[0].outcome, Outcome::kFail);
  EXPECT_EQ(d.verdict.findings[0].message, "not registered");
  EXPECT_EQ(d.verdict.findings[0].expected, "e");
  EXPECT_EQ(d.verdict.findings[0].actual, "a");
  EXPECT_EQ(d.engine, s.engine);
  EXPECT_EQ(d.top_chain_id, s.top_chain_id);
  EXPECT_EQ(d.policy_digest, s.policy_digest);
  EXPECT_EQ(d.registrations, s.registrations);  // the log names the state the verdict saw
  EXPECT_EQ(d.policy_signature, s.policy_signature);
  EXPECT_EQ(d.elapsed_us, 812);
  EXPECT_EQ(d.rootfs, s.rootfs);
  ASSERT_TRUE(d.seal);
  EXPECT_EQ(d.seal->container_id, "cid");
  EXPECT_EQ(d.seal->mode, Mode::kEnforce);
  EXPECT_EQ(d.seal->namespaces, (std::vector<std::string>{"net", "ipc"}));
  ASSERT_EQ(d.steps.size(), 1u);
  EXPECT_EQ(d.steps[0].name, "policy");
  EXPECT_EQ(d.steps[0].elapsed_us, 10);
  EXPECT_EQ(d.notes, s.notes);
  ASSERT_EQ(a->writes.size(), 2u);
  EXPECT_EQ(a->writes[1].path, writes[1].path);
  EXPECT_EQ(a->writes[1].content, writes[1].content);
  EXPECT_FALSE(d.spec);
  EXPECT_FALSE(d.image);
}

TEST(DecisionWire, NoSealIsNull) {
  Decision d = Sample();
  d.seal.reset();
  auto a = ParseDecisionAnswer(SerializeDecisionAnswer(d, {}));
  ASSERT_TRUE(a.ok()) << a.error().What();
  EXPECT_FALSE(a->decision.seal);
}

// Each mutation of a valid answer is refused.
TEST(DecisionWire, RefusesAnythingElse) {
  auto valid = nlohmann::json::parse(SerializeDecisionAnswer(Sample(), {{"/p", "x"}}));
  std::vector<std::pair<std::string, std::function<void(nlohmann::json&)>>> cases = {
      {"extra member", [](auto& j) { j["allow"] = true; }},
      {"missing member", [](auto& j) { j.erase("writes"); }},
      {"decision out of range", [](auto& j) { j["verdict"]["decision"] = 2; }},
      {"decision as text", [](auto& j) { j["verdict"]["decision"] = "allow"; }},
      {"mode negative", [](auto& j) { j["verdict"]["mode"] = -1; }},
      {"kind out of range", [](auto& j) { j["verdict"]["kind"] = 7; }},
      {"outcome out of range", [](auto& j) { j["verdict"]["findings"][0]["outcome"] = 3; }},
      {"finding extra", [](auto& j) { j["verdict"]["findings"][0]["x"] = ""; }},
      {"verdict extra", [](auto& j) { j["verdict"]["allowed"] = true; }},
      {"negative time", [](auto& j) { j["elapsed_us"] = -5; }},
      {"float time", [](auto& j) { j["elapsed_us"] = 1.5; }},
      {"huge time", [](auto& j) { j["elapsed_us"] = UINT64_MAX; }},
      {"seal wrong type", [](auto& j) { j["seal"] = "sealed"; }},
      {"seal mode", [](auto& j) { j["seal"]["mode"] = 9; }},
      {"namespaces not strings", [](auto& j) { j["seal"]["namespaces"] = {1}; }},
      {"step extra", [](auto& j) { j["steps"][0]["x"] = 1; }},
      {"too many steps", [](auto& j) { j["steps"] = nlohmann::json(std::vector<int>(65, 0)); }},
      {"write not base64", [](auto& j) { j["writes"][0]["content"] = "!!"; }},
      {"write not canonical", [](auto& j) { j["writes"][0]["content"] = "eB=="; }},
      {"write path number", [](auto& j) { j["writes"][0]["path"] = 1; }},
      {"registrations missing", [](auto& j) { j.erase("registrations"); }},
      {"registrations array", [](auto& j) { j["registrations"] = nlohmann::json::array(); }},
      {"registration not an array", [](auto& j) { j["registrations"]["x"] = "sha256:1"; }},
      {"registration no reads", [](auto& j) { j["registrations"]["x"] = nlohmann::json::array(); }},
      {"registration read number", [](auto& j) { j["registrations"]["x"] = {1}; }},
      {"array at top", [](auto& j) { j = nlohmann::json::array({j}); }},
  };
  for (auto& [name, mutate] : cases) {
    nlohmann::json j = valid;
    mutate(j);
    EXPECT_FALSE(ParseDecisionAnswer(j.dump()).ok()) << name;
  }
  EXPECT_TRUE(ParseDecisionAnswer(valid.dump()).ok());
  for (std::string bad : {"", "allow", "{", "null", "{}", "[]"}) {
    EXPECT_FALSE(ParseDecisionAnswer(bad).ok()) << bad;
  }
  EXPECT_EQ(ParseDecisionAnswer(std::string(kMaxAnswerBytes + 1, ' ')).error().kind(),
            ErrorKind::kTooLarge);
}

}  // namespace
}  // namespace verified::shim
