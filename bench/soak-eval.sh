#!/usr/bin/env bash
# Resident memory of a long `aem evaluate` run at the paper's S = 20,000, sampled every 10 s (not part
# of the test suite).
#   bench/soak-eval.sh [POINTS] [OUT]   default: the whole 100,000-point checkerboard test split
# Trains a demo-sized checkerboard model for 2,000 steps first (about a minute), then scores POINTS
# test points with S = 20,000 on one thread. Prints "seconds rss_kb progress" lines; compare the RSS
# after the first minute with the last (flat means within ~10 %).
set -euo pipefail
cd -P "$(dirname "${BASH_SOURCE[0]}")/.."
points=${1:-100000}
out=${2:-$(mktemp -d)/soak-eval}
./bootstrap.sh check >/dev/null
dotnet build src/Aem.Cli -c Release -v q -nologo >/dev/null
dll=$(dotnet msbuild src/Aem.Cli -getProperty:TargetPath -p:Configuration=Release)
dotnet "$dll" train --dataset checkerboard --hidden 64 --energy-hidden 32 --batch-size 128 --lr 1e-3 \
  --steps 2000 --threads 1 --out "$out" --log-every 1000 >/dev/null
log=$(mktemp)
dotnet "$dll" evaluate --checkpoint "$out" --samples 20000 --max-points "$points" --threads 1 >"$log" 2>&1 &
pid=$!
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
  done_points=$(tr '\r' '\n' <"$log" | grep -o "scoring [0-9,]*/[0-9,]*" | tail -1 || true)
  echo "$(( $(date +%s) - start ))s rss_kb=${rss:-?} ${done_points}"
  sleep 10
done
wait "$pid"
tr '\r' '\n' <"$log" | tail -4
