#!/usr/bin/env python3
"""Champion size and test accuracy over long runs (the README's long-run table; asserts nothing).

usage: tests/long-runs.py [--generations G] [--seeds K] [--link 'extra&keys'] [DATASET ...]
Runs `evonas run --json` (EVONAS_CLI, else target/release/evonas) for seeds 1..K on each
dataset (spiral, circle, xor by default), two at a time, and prints per dataset the median
enabled connections and test accuracy of the champion at generations 100, 300 and G.
"""
import argparse, json, os, statistics, subprocess
from concurrent.futures import ThreadPoolExecutor

parser = argparse.ArgumentParser()
parser.add_argument("--generations", type=int, default=1000)
parser.add_argument("--seeds", type=int, default=5)
parser.add_argument("--link", default="")
parser.add_argument("datasets", nargs="*", default=["spiral", "circle", "xor"])
args = parser.parse_args()
cli = os.environ.get("EVONAS_CLI", "target/release/evonas")
marks = sorted({m for m in (100, 300, args.generations) if m <= args.generations})

def champion_at_marks(job):
    dataset, seed = job
    link = "&".join(p for p in (f"dataset={dataset}&seed={seed}", args.link) if p)
    out = subprocess.run([cli, "run", "--link", link, "--generations", str(args.generations), "--json", "--threads", "1", "--backend", "cpu"],
                         capture_output=True, text=True, check=True).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    return {r["generation"]: (r["best"]["connections"], r["best"]["test_accuracy"]) for r in rows if r.get("generation") in marks}

jobs = [(d, s) for d in args.datasets for s in range(1, args.seeds + 1)]
with ThreadPoolExecutor(2) as pool:
    results = dict(zip(jobs, pool.map(champion_at_marks, jobs)))
for dataset in args.datasets:
    runs = [results[(dataset, s)] for s in range(1, args.seeds + 1)]
    cells = [f"g{m}: {statistics.median(r[m][0] for r in runs):g} connections, test {statistics.median(r[m][1] for r in runs):.3f}" for m in marks]
    growth = statistics.median(r[marks[-1]][0] / r[marks[0]][0] for r in runs)
    print(f"{dataset}: " + "; ".join(cells) + f"; growth g{marks[0]}->g{marks[-1]} {growth:.2f}x")
