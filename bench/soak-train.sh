#!/usr/bin/env bash
# Resident memory of a long `aem train` run, sampled every 5 s (not part of the test suite).
#   bench/soak-train.sh [STEPS] [OUT]        default: 20,000 steps of the demo-sized checkerboard model
# Prints "seconds rss_kb step" lines; compare the first and last RSS (flat means within ~10 %).
set -euo pipefail
cd -P "$(dirname "${BASH_SOURCE[0]}")/.."
steps=${1:-20000}
out=${2:-$(mktemp -d)/soak}
./bootstrap.sh check >/dev/null
dotnet build src/Aem.Cli -c Release -v q -nologo >/dev/null
dll=$(dotnet msbuild src/Aem.Cli -getProperty:TargetPath -p:Configuration=Release)
log=$(mktemp)
dotnet "$dll" train --dataset checkerboard --hidden 64 --energy-hidden 32 --batch-size 128 --lr 1e-3 \
  --steps "$steps" --threads 1 --out "$out" --log-every 2000 >"$log" 2>&1 &
pid=$!
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
  step=$(grep -o "step [0-9,]*" "$log" | tail -1 || true)
  echo "$(( $(date +%s) - start ))s rss_kb=${rss:-?} ${step}"
  sleep 5
done
wait "$pid"
tail -3 "$log"
