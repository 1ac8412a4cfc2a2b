#!/usr/bin/python3
"""Checks a load run of tests/e2e/load_lib.sh (issue 14 section 4).

Usage: load_check.py E2E_DIR N [PERCENTILES_OUT]

E2E_DIR holds decisions.log, cid/<i> (the id docker gave run i), runs/<i>.rc and .out,
canary/<i> (written by container i if it ran) and states/ (every policy and registration file
the loops produced, by digest; admin.log, the admin loop's sequence of states).

Checks, each printed as "ok:" or "FAIL:":
  - every decision-log line parses as one JSON object (none lost, none torn);
  - every container docker created has exactly one create decision, and there is no other;
  - each decision names a policy state (policy_digest) and registration states
    (registration_digests) that a writer produced, never a half-written or foreign file;
  - its verdict is the one that state gives, recomputed here from the archived files;
  - lflip is never allowed and each lflip decision names a (policy, registration) pair that
    held together (the admin loop's sequence);
  - docker run succeeded exactly for the allowed containers, refusals say "verified: refused",
    and canaries exist exactly for the allowed containers (docker failing on its own, after
    an allow or before creating the container, is noted: at most max(2, N/20) such runs);
  - both verdicts were seen for the images whose state flips (the race was exercised).
Prints the decision times (elapsed_us) p50/p90/p99/max; writes them to PERCENTILES_OUT.
"""
import hashlib
import json
import math
import os
import sys

IMAGES = ["lok", "lno", "lpol", "ltoggle", "lflip"]
TORN_WORDS = ("parse", "malformed", "unexpected", "truncated", "cannot read", "syntax")

failures = []
UNREAD = object()  # the decision names no read of the file (not: read, found absent)


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


line_failures = 0


def line_fail(msg):
    """A wrong decision: the first 10 are printed, all are counted."""
    global line_failures
    line_failures += 1
    if line_failures <= 10:
        fail(msg)
    else:
        failures.append(msg)


engine_failures = []


def engine_failure(msg):
    """A failure of docker itself, not of a decision: noted; only too many fail the run."""
    engine_failures.append(msg)
    print("NOTE: " + msg)


def ok(msg):
    print("ok: " + msg)


def reg_path(name):
    return "images/by-name/" + hashlib.sha256(name.encode()).hexdigest() + ".json"


def load_json(path):
    with open(path, "rb") as f:
        return json.loads(f.read())


def percentile(sorted_values, p):
    if not sorted_values:
        return 0
    # Nearest rank.
    k = max(0, min(len(sorted_values) - 1, math.ceil(p / 100.0 * len(sorted_values)) - 1))
    return sorted_values[k]


class Archive:
    def __init__(self, states):
        self.states = states
        self.policies = {}
        self.regs = {}

    def policy(self, digest):
        if digest not in self.policies:
            path = os.path.join(self.states, "policy", digest.split(":", 1)[-1] + ".json")
            self.policies[digest] = load_json(path) if os.path.exists(path) else None
        return self.policies[digest]

    def reg(self, digest):
        if digest not in self.regs:
            path = os.path.join(self.states, "reg", digest.split(":", 1)[-1] + ".json")
            self.regs[digest] = load_json(path) if os.path.exists(path) else None
        return self.regs[digest]


def expected(policy, repo, reg_answers, archive, name):
    """(allowed, why, reg_state) under `policy` for image repo:1 given the registration reads
    the decision names; None when the line cannot be judged (its own failure is reported)."""
    rule = next((r for r in policy.get("rules", []) if r.get("match") == repo), None)
    if rule is None:
        return (policy.get("default", "deny") == "allow", "default", None)
    if rule["action"] == "deny":
        return (False, "rule denies", None)
    if not rule.get("require", {}).get("registered"):
        return (True, "rule allows", None)
    if reg_answers is UNREAD:
        return None
    answers = reg_answers if isinstance(reg_answers, list) else [reg_answers]
    # The registered check reads the record once; a list would mean it read it again.
    state = answers[-1]
    if state is None:
        return (False, "not registered", None)
    record = archive.reg(state)
    if record is None:
        fail(f"registration {name} read as {state}: no writer produced it (torn or foreign)")
        return None
    if record.get("name") != name:
        fail(f"registration state {state} is of {record.get('name')}, not {name}")
        return None
    return (True, "registered", state)


def main():
    e2e, n = sys.argv[1], int(sys.argv[2])
    out = sys.argv[3] if len(sys.argv) > 3 else None
    archive = Archive(os.path.join(e2e, "states"))
    errors = os.path.join(e2e, "states", "errors")
    if os.path.exists(errors) and os.path.getsize(errors) > 0:
        fail("the edit loops failed: " + open(errors).read()[:2000])
    else:
        ok("every verifiedctl edit of the loops succeeded")

    # Lines: every one parses.
    raw = open(os.path.join(e2e, "decisions.log"), "rb").read()
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    else:
        fail("the decision log does not end with a newline (a torn last line)")
    records, torn = [], 0
    for ln in lines:
        try:
            j = json.loads(ln)
            if not isinstance(j, dict):
                raise ValueError("not an object")
            records.append(j)
        except ValueError:
            torn += 1
            if torn <= 3:
                fail("decision-log line does not parse: %r" % ln[:300])
    if torn == 0:
        ok(f"all {len(lines)} decision-log lines parse as JSON objects")

    # Ids: one decision per container docker created, none other.
    id_of, index_of = {}, {}
    for i in range(n):
        p = os.path.join(e2e, "cid", str(i))
        if os.path.exists(p):
            cid = open(p).read().strip()
            if cid:
                id_of[i] = cid
                index_of[cid] = i
    no_cid = [i for i in range(n) if i not in id_of]
    for i in no_cid:
        # Docker failing before it created the container never reached the runtime: an
        # engine failure under load, counted against the budget below.
        engine_failure(f"run {i}: docker created no container: " +
                       open(os.path.join(e2e, "runs", f"{i}.out")).read()[-300:])
    by_id = {}
    for r in records:
        if r.get("command") not in ("create", "run"):
            fail(f"unexpected decision command {r.get('command')}: {r}")
            continue
        by_id.setdefault(r.get("container"), []).append(r)
    strays = [c for c in by_id if c not in index_of]
    dups = [c for c, rs in by_id.items() if len(rs) != 1]
    missing = [c for c in index_of if c not in by_id]
    if strays:
        fail(f"{len(strays)} decisions for containers docker did not create: {strays[:3]}")
    if dups:
        fail(f"{len(dups)} containers with more than one decision: {dups[:3]}")
    if missing:
        fail(f"{len(missing)} created containers without a decision: {missing[:3]}")
    if not (strays or dups or missing):
        ok(f"{len(records)} create decisions for the {len(index_of)} containers docker created "
           f"({n} runs), one each")

    admin_pairs = set()
    for ln in open(os.path.join(e2e, "states", "admin.log")):
        p, r = ln.split()
        admin_pairs.add((p, None if r == "null" else r))

    seen = {img: set() for img in IMAGES}
    wrong = 0
    times = []
    for cid, rs in by_id.items():
        if cid not in index_of or len(rs) != 1:
            continue
        r, i = rs[0], index_of[cid]
        repo = IMAGES[i % len(IMAGES)]
        name = f"docker.io/library/{repo}:1"
        times.append(int(r.get("elapsed_us", -1)))
        where = f"run {i} ({repo}:1, {cid[:12]})"
        reasons = " | ".join(r.get("reasons", []))
        if any(w in reasons.lower() for w in TORN_WORDS):
            line_fail(f"{where}: the decision saw a damaged file: {reasons}")
            wrong += 1
            continue
        if r.get("image") != f"{repo}:1" or r.get("mode") != "enforce" or not r.get("enforced"):
            line_fail(f"{where}: unexpected image/mode in {r}")
            wrong += 1
            continue
        pd = r.get("policy_digest")
        policy = archive.policy(pd) if pd else None
        if policy is None:
            line_fail(f"{where}: policy state {pd} is not one the admin loop produced: {r}")
            wrong += 1
            continue
        regs = r.get("registration_digests")
        if not isinstance(regs, dict):
            line_fail(f"{where}: the decision does not name the registration state it saw "
                 f"(no registration_digests): {json.dumps(r)[:400]}")
            wrong += 1
            continue
        exp = expected(policy, repo, regs.get(reg_path(name), UNREAD), archive, name)
        if exp is None:
            if reg_path(name) not in regs:
                line_fail(f"{where}: the rule requires a registration, the decision names none: {r}")
            wrong += 1
            continue
        allowed, why, reg_state = exp
        if r.get("allowed") != allowed or r.get("verdict") != ("allow" if allowed else "deny"):
            line_fail(f"{where}: {r.get('verdict')} but the state it names gives "
                 f"{'allow' if allowed else 'deny'} ({why}): {r}")
            wrong += 1
            continue
        if why == "not registered" and "is not registered" not in reasons:
            line_fail(f"{where}: refused as unregistered with another reason: {reasons}")
            wrong += 1
            continue
        if repo == "lflip":
            if allowed:
                line_fail(f"{where}: allowed, but no state of the admin loop allows lflip: {r}")
                wrong += 1
                continue
            answer = regs.get(reg_path(name), UNREAD)
            answer = answer[-1] if isinstance(answer, list) else answer
            if answer is not UNREAD and (pd, answer) not in admin_pairs:
                line_fail(f"{where}: policy {pd} and registration {answer} never held together")
                wrong += 1
                continue
        seen[repo].add(allowed)
        # What docker and the container did.
        rc = open(os.path.join(e2e, "runs", f"{i}.rc")).read().strip()
        text = open(os.path.join(e2e, "runs", f"{i}.out")).read()
        canary = os.path.exists(os.path.join(e2e, "canary", str(i)))
        if allowed and rc != "0" and "verified:" not in text:
            # Allowed, runc exec'd, then the engine failed on its own (seen under load:
            # containerd-shim "opening w/o fifo ... context deadline exceeded").
            engine_failure(f"{where}: allowed, then docker failed on its own (rc {rc}, "
                           f"canary {canary}): {text[-300:]}")
        elif allowed and (rc != "0" or not canary):
            line_fail(f"{where}: allowed but docker run exited {rc}, canary {canary}: {text[-400:]}")
            wrong += 1
        elif not allowed and (rc == "0" or canary or "verified: refused" not in text):
            line_fail(f"{where}: refused but docker run exited {rc}, canary {canary}: {text[-400:]}")
            wrong += 1
    if wrong:
        print(f"FAIL: {wrong} decisions wrong in all (the first 10 above)")
    else:
        ok("every decision is the verdict of the policy and registration state it names; "
           "canaries exist exactly for the allowed containers")
    expect = {"lok": {True}, "lno": {False}, "lflip": {False}, "lpol": {True, False},
              "ltoggle": {True, False}}
    for img, want in expect.items():
        if seen[img] != want:
            fail(f"{img}:1 verdicts seen {sorted(seen[img])}, want {sorted(want)} "
                 "(the loops did not race the creates)")
    if all(seen[i] == w for i, w in expect.items()):
        ok("lpol and ltoggle were both allowed and refused as their state flipped; "
           "lok always allowed, lno and lflip never")

    budget = max(2, n // 20)
    if len(engine_failures) > budget:
        fail(f"{len(engine_failures)} runs failed in docker itself (more than {budget})")
    elif engine_failures:
        ok(f"{len(engine_failures)} runs failed in docker itself (within {budget}); "
           "no refused container ran")
    times.sort()
    if times:
        summary = {"decisions": len(times), "p50_us": percentile(times, 50),
                   "p90_us": percentile(times, 90), "p99_us": percentile(times, 99),
                   "max_us": times[-1]}
        print("decision time under load (elapsed_us): " +
              " ".join(f"{k}={v}" for k, v in summary.items()))
        if out:
            with open(out, "w") as f:
                json.dump(summary, f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
