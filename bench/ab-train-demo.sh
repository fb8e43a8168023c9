#!/usr/bin/env bash
# Interleaved A/B of training speed for the demo-sized model (H 64, E 32, batch 128, checkerboard):
#   bench/ab-train-demo.sh BEFORE_AEM AFTER_AEM [REPEATS] [STEPS] [CONFIGS]
# BEFORE_AEM and AFTER_AEM are two builds of the aem tool (e.g. a copy of an older build's
# src/Aem.Cli/bin/Release/net10.0/linux-x64/aem). Each repeat runs every configuration once, in turn, so
# drifting load hits all alike. A configuration's speed is the mean steps/s of the middle log windows
# (the first holds start-up, the last a validation). Prints one line per run, with the 1-minute load
# average before it, then medians and min–max per configuration. CONFIGS (comma-separated, default all)
# picks configurations by name: before-1t, before-2t, after-1t, after-2t, after-2w, after-auto (default:
# all but before-2w, for builds that have --workers, and before-auto). 1t/2t: --threads 1/2; 2w: --threads 1
# --workers 2; auto: no thread options (the tool measures and chooses; its choice is in the run's header).
set -euo pipefail
before=${1:?usage: ab-train-demo.sh BEFORE_AEM AFTER_AEM [REPEATS] [STEPS]}
after=${2:?usage: ab-train-demo.sh BEFORE_AEM AFTER_AEM [REPEATS] [STEPS]}
repeats=${3:-5}
steps=${4:-400}
every=$((steps / 4))
only=${5:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
all=(
  "before-1t|$before|--threads 1"
  "before-2t|$before|--threads 2"
  "after-1t|$after|--threads 1"
  "after-2t|$after|--threads 2"
  "after-2w|$after|--threads 1 --workers 2"
  "after-auto|$after|"
  "before-2w|$before|--threads 1 --workers 2"
  "before-auto|$before|"
)
configs=()
for config in "${all[@]}"; do
  name=${config%%|*}
  if [[ -z $only && $name != before-2w && $name != before-auto ]] || [[ ",$only," == *",$name,"* ]]; then configs+=("$config"); fi
done
echo "cpu: $(lscpu | grep 'Model name' | sed 's/Model name: *//'), $(nproc) cores"
results="$work/results.tsv"
for ((r = 1; r <= repeats; r++)); do
  for config in "${configs[@]}"; do
    IFS='|' read -r name tool extra <<<"$config"
    load=$(cut -d' ' -f1 /proc/loadavg)
    # shellcheck disable=SC2086
    "$tool" train --dataset checkerboard --hidden 64 --energy-hidden 32 --batch-size 128 --lr 1e-3 \
      --steps "$steps" --train-points 20000 --held-out-points 2000 --validate-every "$steps" \
      --log-every "$every" --seed 1 $extra --out "$work/run" --force >"$work/log" 2>&1
    rate=$(grep -oE '^step [0-9,]+/[0-9,]+ +[0-9.]+ steps/s' "$work/log" | sed -n '2,3p' |
      awk '{s += $(NF-1); n++} END {if (n) printf "%.1f", s / n; else print "nan"}')
    printf '%s\t%s\t%s\n' "$name" "$rate" "$load" | tee -a "$results"
  done
done
echo
echo "configuration  median steps/s  (min–max)  runs"
for config in "${configs[@]}"; do
  name=${config%%|*}
  awk -F'\t' -v n="$name" '$1 == n {print $2}' "$results" | sort -g |
    awk -v n="$name" '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
      printf "%-14s %8.1f        (%.1f–%.1f)  %d\n", n, m, v[1], v[NR], NR}'
done
