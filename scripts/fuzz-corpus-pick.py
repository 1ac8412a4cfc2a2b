#!/usr/bin/python3
"""Picks the new fuzz inputs worth committing, from a libFuzzer merge control file.

  fuzz-corpus-pick.py CONTROL_FILE CORPUS_DIR MAX_NEW MIN_GAIN

CONTROL_FILE is what `fuzz_<name> -merge=1 -merge_control_file=F OUT CORPUS_DIR NEW_DIR` wrote:
the input paths, then per input "COV <index> <edge ids...>". Every input under CORPUS_DIR is
kept; the new inputs are picked greedily, the one covering most edges not yet covered first,
until MAX_NEW are picked or none adds MIN_GAIN edges. Prints the picked paths, one a line.

libFuzzer's own -merge=1 keeps every input with a new feature (an edge or a hit-count bucket):
after a few minutes that is hundreds of files per target, most of them one more branch of the
JSON parser. The corpus lives in the repository, so it keeps the few that reach the most.
"""
import os
import sys


def main():
    control, corpus, max_new, min_gain = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(control, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.read().splitlines()
    count = int(lines[0])
    paths = lines[2:2 + count]
    cov = {}
    for line in lines[2 + count:]:
        if line.startswith("COV "):
            parts = line.split()
            cov[int(parts[1])] = set(parts[2:])
    corpus = os.path.realpath(corpus) + os.sep
    covered = set()
    candidates = []
    for i, p in enumerate(paths):
        if os.path.realpath(p).startswith(corpus):
            covered |= cov.get(i, set())
        else:
            candidates.append(i)
    picked = []
    while len(picked) < max_new and candidates:
        best = max(candidates, key=lambda i: (len(cov.get(i, set()) - covered), -i))
        gain = len(cov.get(best, set()) - covered)
        if gain < min_gain:
            break
        picked.append(best)
        covered |= cov.get(best, set())
        candidates.remove(best)
    for i in picked:
        print(paths[i])


if __name__ == "__main__":
    main()
