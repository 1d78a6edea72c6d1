#!/usr/bin/env python3
"""Two evonas binaries print the same runs: every link below, every scene, through `run --json`
and the text lines, compared line by line. For refactors that must not change a bit.

    python3 tests/same-outputs.py OLD_BINARY NEW_BINARY

Times (`elapsed_ms`, the text lines' milliseconds and seconds) are left out, and JSON lines are
compared as values with every number read as the f32 it was (so an f32 printed widened to f64,
0.5849999785423279, equals its shortest form 0.585) and keys in any order; a `scene` key the old
line lacks is allowed (every scene's lines name it now). Exits 1 on the first
difference, naming the link and the lines.
"""
import json
import re
import struct
import subprocess
import sys

LINKS = [
    ("", 8),
    ("dataset=xor&seed=3", 10),
    ("dataset=spiral&seed=2&population=40", 5),
    ("dataset=circle&strategy=aging&removal=worst&batch=5&hyper=0.3", 8),
    ("dataset=gauss&strategy=pareto&population=30&penalty=0.02", 6),
    ("dataset=xor&activations=sigmoid,tanh,relu&optimizer=rmsprop&lr=0.03&clip=2", 6),
    ("scene=cells", 100),
    ("scene=cells&dataset=cifar100&compare=aging,local&seeds=3&eval_noise=0.5", 100),
    ("scene=recurrent&population=10&children=5&steps=60", 3),
    ("scene=recurrent&task=text&population=8&children=4&steps=40&novelty=0.5", 2),
    ("scene=modules&dataset=xor&modules=8&blueprints=4&networks=1&epochs=2", 3),
    ("scene=modules&blueprints=3&modules=6&networks=1&epochs=1&validation=200&seed=2", 2),
]

TIME = re.compile(r"\s*\(?\s*\d+(\.\d+)?\s*(ms|s)\b,?")


def f32(value):
    """Numbers as the f32 they are; everything else as it is, recursively."""
    if isinstance(value, float):
        return struct.unpack("f", struct.pack("f", value))[0]
    if isinstance(value, dict):
        return {k: f32(v) for k, v in value.items() if k != "elapsed_ms"}
    if isinstance(value, list):
        return [f32(v) for v in value]
    return value


def lines(binary, link, generations, json_lines):
    args = [binary, "run", "--link", link, "--generations", str(generations), "--threads", "2"]
    out = subprocess.run(args + (["--json"] if json_lines else []), capture_output=True, text=True, check=True).stdout
    if json_lines:
        return [f32(json.loads(line)) for line in out.splitlines()]
    return [TIME.sub("", line) for line in out.splitlines()]


def main():
    old, new = sys.argv[1:3]
    for link, generations in LINKS:
        for json_lines in (True, False):
            a, b = lines(old, link, generations, json_lines), lines(new, link, generations, json_lines)
            # Every scene's lines now name it (NEAT's did not): a key added, nothing changed.
            b = [{k: v for k, v in line.items() if k != "scene" or "scene" in old_line} if isinstance(line, dict) else line
                 for line, old_line in zip(b, a + [{}] * len(b))]
            if a != b:
                first = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
                print(f"{link!r} ({'json' if json_lines else 'text'}): line {first + 1} differs")
                print("  old:", a[first] if first < len(a) else "(none)")
                print("  new:", b[first] if first < len(b) else "(none)")
                return 1
        print(f"same: {link or '(defaults)'} ({generations} generations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
