#!/usr/bin/env bash
# Side by side with the authors' PyTorch code, on this machine, interleaved:
#   bench/side-by-side.sh AUTHORS_CHECKOUT [options]
# AUTHORS_CHECKOUT is a checkout of Nash & Durkan's autoregressive-energy-machines repository (its
# pytorch/ folder is imported by bench/authors_cases.py; nothing of it is copied into this project).
# Their side needs a Python 3 with PyTorch and an optimised BLAS (on Debian 12: apt-get install
# python3-torch libopenblas0-pthread; the script looks for `python3` with torch, then /usr/bin/python3,
# and refuses the reference BLAS). Ours is the aem tool (--aem PATH, default the
# Release build in src/, built if missing).
#
# Each round runs every case once on each side, alternating which side goes first, and waits before
# each run until the machine is idle (less than --idle-busy % of all cores busy over 3 s), so drifting
# load hits both alike. OpenBLAS detects the CPU itself: OPENBLAS_CORETYPE is unset, because forcing a
# core type the CPU lacks crashes it. Prints one table — medians of the rounds' medians with min–max
# over every timed repetition, and the ratio (>1: ours is faster or, for memory, smaller) — and writes
# it, with the raw results, into --out.
#
# Options:
#   --aem PATH            our tool (default: src/Aem.Cli/bin/Release/net10.0/linux-x64/aem)
#   --cases LIST          comma-separated (default: matmul,train-demo,train-2d,train-power,train-hepmass,evaluate-power,sample-2d)
#   --threads N           torch threads on both sides (default 2)
#   --rounds N            rounds (default 3)
#   --repetitions N       timed repetitions per run, as `aem bench --repetitions` (default 10)
#   --idle-busy PCT       the busy share of all cores that counts as idle (default 15)
#   --no-wait             do not wait for an idle machine (the table then says so)
#   --out DIR             where to write side-by-side.md and results.tsv (default runs/side-by-side-DATE)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
[[ ${1:-} == -h || ${1:-} == --help ]] && { usage; exit 0; }
authors=${1:?$(usage)}
shift
aem=$root/src/Aem.Cli/bin/Release/net10.0/linux-x64/aem
cases=matmul,train-demo,train-2d,train-power,train-hepmass,evaluate-power,sample-2d
threads=2 rounds=3 reps=10 idle=15 wait=1
out=$root/runs/side-by-side-$(date +%Y%m%d-%H%M%S)
while (($#)); do
  case $1 in
    --aem) aem=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --repetitions) reps=$2; shift 2 ;;
    --idle-busy) idle=$2; shift 2 ;;
    --no-wait) wait=0; shift ;;
    --out) out=$2; shift 2 ;;
    *) echo "side-by-side.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [[ ! -f $authors/pytorch/models/aem.py ]]; then
  echo "side-by-side.sh: $authors/pytorch/models/aem.py not found: give a checkout of the authors' autoregressive-energy-machines repository" >&2
  exit 2
fi
python=
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import torch, numpy' 2>/dev/null; then python=$candidate; break; fi
done
if [[ -z $python ]]; then
  echo "side-by-side.sh: no Python 3 with PyTorch and NumPy found (on Debian 12: apt-get install python3-torch)" >&2
  exit 2
fi
# Debian's python3-torch calls whatever libblas.so.3 the alternatives system points at; the reference
# BLAS (libblas3, what a --no-install-recommends install leaves) multiplies matrices ~15× slower than
# OpenBLAS here (6.4 against 95 GFLOP/s on the energy net's shape), which would flatter us absurdly.
for link in /etc/alternatives/libblas.so.3-*; do
  if [[ -e $link && $(readlink -f "$link") == */blas/libblas.so* ]]; then
    echo "side-by-side.sh: libblas.so.3 is the reference BLAS ($(readlink -f "$link")): install OpenBLAS (apt-get install libopenblas0-pthread) so the authors' side runs at its proper speed" >&2
    exit 2
  fi
done
if [[ ! -x $aem ]]; then
  echo "building aem (Release) ..."
  dotnet build "$root/src/Aem.Cli" -c Release -v quiet >/dev/null
fi
unset OPENBLAS_CORETYPE
mkdir -p "$out"
raw=$out/results.tsv
: >"$raw"

# Busy share (%) of all cores over 3 s, from /proc/stat.
busy() {
  read -r _ a b c d e f g h _ </proc/stat; sleep 3
  read -r _ A B C D E F G H _ </proc/stat
  local total=$(((A + B + C + D + E + F + G + H) - (a + b + c + d + e + f + g + h)))
  local idle_ticks=$(((D + E) - (d + e)))
  echo $((100 * (total - idle_ticks) / (total > 0 ? total : 1)))
}
wait_idle() {
  ((wait)) || return 0
  local waited=0 now
  while now=$(busy) && ((now >= idle)); do
    if ((waited % 60 == 0)); then echo "  waiting for an idle machine ($now % busy) ..."; fi
    waited=$((waited + 3))
  done
}

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
flags=$(grep -m1 '^flags' /proc/cpuinfo | grep -o 'avx512f\|avx2' | sort -u | tr '\n' ' ')
echo "cpu: $cpu, $(nproc) cores (${flags% }); ours: $aem; theirs: $python with torch $("$python" -c 'import torch; print(torch.__version__)')"
IFS=, read -ra list <<<"$cases"
for ((r = 1; r <= rounds; r++)); do
  for case in "${list[@]}"; do
    sides=(ours authors)
    ((r % 2)) || sides=(authors ours)
    for side in "${sides[@]}"; do
      wait_idle
      load=$(cut -d' ' -f1 /proc/loadavg)
      if [[ $side == ours ]]; then
        ours_case=$case
        # On two cores our training steps run fastest as two workers of one thread each, what `aem train`
        # measured and chose for every training case on the machines we have (docs/performance.md).
        t=$threads
        if [[ $case == train-* && $threads == 2 ]]; then ours_case=$case-workers t=1; fi
        line=$("$aem" bench --run-case "$ours_case:$t" --repetitions "$reps" | grep '^{' | tail -1)
        "$python" -c 'import json,sys; j=json.loads(sys.argv[1]); print("\t".join(map(str,[j["Median"],j["Min"],j["Max"],(j.get("PeakResidentBytes") or 0)/1e6,j["Unit"]])))' "$line" >"$out/last"
      else
        line=$("$python" "$here/authors_cases.py" "$authors" "$case" "$threads" "$reps" | tail -1)
        "$python" -c 'import json,sys; j=json.loads(sys.argv[1]); print("\t".join(map(str,[j["median"],j["min"],j["max"],j["peak_rss_mb"],j["unit"]])))' "$line" >"$out/last"
      fi
      IFS=$'\t' read -r median lo hi rss unit <"$out/last"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$case" "$side" "$median" "$lo" "$hi" "$rss" "$unit" "$load" | tee -a "$raw"
    done
  done
done
rm -f "$out/last"

"$python" - "$raw" "$cpu" "$threads" "$rounds" "$reps" "$wait" >"$out/side-by-side.md" <<'PY'
import statistics, sys
from collections import defaultdict
raw, cpu, threads, rounds, reps, waited = sys.argv[1:]
rows = defaultdict(list)
for line in open(raw):
    r, case, side, median, lo, hi, rss, unit, load = line.rstrip("\n").split("\t")
    rows[(case, side)].append((float(median), float(lo), float(hi), float(rss), unit, float(load)))
cases = list(dict.fromkeys(case for case, _ in rows))
print(f"Side by side on one machine: {cpu}, {threads} threads, {rounds} interleaved rounds of {reps} repetitions"
      + ("" if waited == "1" else " (idle not awaited)") + ".")
print()
print("| case | unit | authors: median (min–max) | ours: median (min–max) | ours faster by | peak RSS authors / ours |")
print("|---|---|---|---|---|---|")
fmt = lambda v: f"{v:.3g}" if v < 100 else f"{v:,.0f}"
for case in cases:
    a, o = rows.get((case, "authors"), []), rows.get((case, "ours"), [])
    if not a or not o:
        continue
    unit = o[0][4]
    am, om = statistics.median(x[0] for x in a), statistics.median(x[0] for x in o)
    speed = am / om if unit.startswith("s/") else om / am
    cell = lambda xs, m: f"{fmt(m)} ({fmt(min(x[1] for x in xs))}–{fmt(max(x[2] for x in xs))})"
    ratio = f"{speed:.2f}×" if case != "matmul" else f"{speed:.2f}× (BLAS)"
    rss = f"{max(x[3] for x in a):,.0f} / {max(x[3] for x in o):,.0f} MB"
    print(f"| {case} | {unit} | {cell(a, am)} | {cell(o, om)} | {ratio} | {rss} |")
loads = [x[5] for xs in rows.values() for x in xs]
print()
print(f"1-minute load average before the runs: {min(loads):.2f}–{max(loads):.2f}.")
PY
echo
cat "$out/side-by-side.md"
echo "side-by-side: wrote $out/side-by-side.md and $raw"
