#!/usr/bin/env python3
"""Times the benchmark workloads with `hamux bench` and with the PyTorch (and, when given, JAX) peers,
alternating them for several rounds on the same machine, and prints a Markdown table of the median
milliseconds per step of each row over the rounds, with hamux's ratio to the peer rows.

The machines are shared and their speed drifts by a third within minutes: one run of each side can land in
different regimes. Each round takes one workload at a time and runs every side on it in turn (who goes first
alternates); the ratios are taken within each round and their median over the rounds is reported.

    examples/bench/compare.py                           # 3 rounds, every workload, PyTorch peer
    examples/bench/compare.py --rounds 5 dam-lse et     # some workloads
    examples/bench/compare.py --rounds 8 --seconds 8 et  # shorter runs, more rounds
    examples/bench/compare.py --jax .jax-venv/bin/python   # JAX peer too
    examples/bench/compare.py --rounds 8 --seconds 6 --jax .jax-venv/bin/python --coretype SkylakeX train-ham train-et

Training workloads (train-ham, train-et: one row is an optimizer step) are compared with train_peer.py; the others with
torch_peer.py and jax_peer.py. --coretype sets OPENBLAS_CORETYPE for the OpenBLAS sides (hamux and PyTorch; JAX does
not use OpenBLAS), and the table says which core type each side ran with.

Needs the peers of ../shared/bench (--peers DIR) and /usr/bin/python3 with torch (see WORKLOADS.md).
"""
import argparse
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKLOADS = ["dam-lse", "dam-lse-60k", "ham3", "et", "train-ham", "train-et"]
TRAINING = {"train-ham", "train-et"}


def hamux_rows(workloads, warmup, seconds, env):
    out = subprocess.run([os.path.join(ROOT, "hamux"), "bench", "--csv", "--warmup", str(warmup),
                          "--max-seconds", str(seconds)] + workloads,
                         check=True, capture_output=True, text=True, env=env).stdout
    rows = {}
    for line in out.splitlines()[1:]:
        f = line.split(",")
        rows[(f[0], "hamux")] = float(f[1])
    return rows


def peer_rows(python, script, args, seconds, env):
    env = dict(env, PEER_MAX_SECONDS=str(seconds))
    out = subprocess.run([python, script] + args, check=True, capture_output=True, text=True, env=env).stdout
    rows = {}
    peak = None
    for line in out.splitlines():
        f = line.split()
        if f and f[0] == "gemm_peak_gflops":
            peak = float(f[1])
        elif len(f) > 3 and f[0] in WORKLOADS:
            rows[(f[0], f[1])] = float(f[2])
    return rows, peak


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workloads", nargs="*", default=WORKLOADS)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--warmup", type=float, default=12.0, help="hamux bench --warmup (seconds)")
    ap.add_argument("--seconds", type=float, default=30.0,
                    help="timed seconds per side and workload in a round (hamux bench --max-seconds, PEER_MAX_SECONDS);"
                         " more rounds of fewer seconds sample the machine's slow and fast periods more evenly")
    ap.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--torch", default="/usr/bin/python3", help="the Python with torch")
    ap.add_argument("--jax", help="the Python with jax (the JAX peer is skipped without it)")
    ap.add_argument("--coretype", help="OPENBLAS_CORETYPE for hamux and PyTorch (e.g. SkylakeX; default: as set)")
    a = ap.parse_args()
    openblas_env = dict(os.environ)
    if a.coretype:
        openblas_env["OPENBLAS_CORETYPE"] = a.coretype
    core = openblas_env.get("OPENBLAS_CORETYPE") or "OpenBLAS's choice"

    samples = {}
    peaks = []
    for r in range(a.rounds):
        # one workload at a time, every side in turn (who goes first alternates between rounds): the rows compared
        # are taken within a minute of each other
        for w in a.workloads:
            sides = ["hamux", "torch"] + (["jax"] if a.jax else [])
            for side in (sides if r % 2 == 0 else sides[::-1]):
                print(f"round {r + 1}/{a.rounds}, {w}: {side}...", file=sys.stderr, flush=True)
                if side == "hamux":
                    for k, v in hamux_rows([w], a.warmup, a.seconds, openblas_env).items():
                        samples.setdefault(k, []).append(v)
                    continue
                python = a.torch if side == "torch" else a.jax
                env = openblas_env if side == "torch" else os.environ
                if w in TRAINING:
                    rows, peak = peer_rows(python, os.path.join(a.peers, "train_peer.py"), [side, w], a.seconds, env)
                else:
                    rows, peak = peer_rows(python, os.path.join(a.peers, side + "_peer.py"), [w], a.seconds, env)
                if side == "torch" and peak:
                    peaks.append(peak)
                for (name, variant), v in rows.items():
                    label = variant if variant.startswith(side) else side + " " + variant
                    samples.setdefault((name, label), []).append(v)

    columns = []
    for (name, variant) in samples:
        if variant != "hamux" and variant not in columns:
            columns.append(variant)
    peak = f", PyTorch's GEMM peak {statistics.median(peaks):.0f} GFLOP/s" if peaks else ""
    print(f"median ms per step (training: per optimizer step) over {a.rounds} alternating rounds{peak}; "
          f"OPENBLAS_CORETYPE {core} for hamux and PyTorch; in brackets the median over the rounds of "
          f"hamux's time over the peer's in the same round\n")
    print("| workload | hamux | " + " | ".join(columns) + " |")
    print("|---|---:|" + "---:|" * len(columns))
    for name in a.workloads:
        ours = samples.get((name, "hamux"))
        if not ours:
            continue
        mine = statistics.median(ours)
        cells = []
        for c in columns:
            theirs = samples.get((name, c))
            if theirs:
                # the ratio within each round (both sides in the same minute), then its median over the rounds
                ratio = statistics.median(m / t for m, t in zip(ours, theirs))
                cells.append(f"{statistics.median(theirs):.2f} ({ratio:.2f})")
            else:
                cells.append("")
        print(f"| {name} | {mine:.2f} | " + " | ".join(cells) + " |")
    print("\nper round:", file=sys.stderr)
    for k, v in sorted(samples.items()):
        print(f"  {k[0]:12s} {k[1]:22s} " + " ".join(f"{x:8.2f}" for x in v), file=sys.stderr)


if __name__ == "__main__":
    main()
