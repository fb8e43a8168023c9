#!/usr/bin/env bash
# Proves that SIGKILL at random moments never leaves an unloadable checkpoint, that --resume then
# ends with exactly the weights of an uninterrupted run with the same seed, and that a second
# process is refused a run folder in use. Not part of the test suite (it takes about a minute).
#   bench/kill-resume.sh            build the CLI (Release) and run
#   STEPS=1000 KILLS=3 RANDOM_SEED=7 bench/kill-resume.sh
set -euo pipefail
cd -P "$(dirname "${BASH_SOURCE[0]}")/.."

STEPS=${STEPS:-4000}          # 15-40 s of training for the tiny model, so the kills land mid-run
KILLS=${KILLS:-3}
RANDOM=${RANDOM_SEED:-$$}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build src/Aem.Cli -c Release -v q -nologo >/dev/null
DLL=$(dotnet msbuild src/Aem.Cli -nologo -p:Configuration=Release -getProperty:TargetPath)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/aem-kill-resume-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
aem() { dotnet "$DLL" "$@"; }
# Background runs call dotnet directly, so that $! is the trainer itself and kill -9 reaches it.

TINY=(--dataset checkerboard --steps "$STEPS" --checkpoint-every 5 --seed 1
      --hidden 16 --energy-hidden 16 --context 8 --blocks 1 --batch-size 64 --dropout 0.1
      --train-points 3000 --held-out-points 400 --threads 1 --val-samples 10 --val-points 200)
failures=0
kills=0
concurrency="not checked"
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
has_checkpoint() { [[ -d "$1/last" || -d "$1/.last.old" ]]; }

echo "CLI: $DLL; $STEPS steps, checkpoint every 5, $KILLS kills; work folder $WORK"
start=$(date +%s)
aem train --out "$WORK/A" "${TINY[@]}" >"$WORK/A.log" 2>&1 || fail "uninterrupted run exited $?"
echo "uninterrupted run A: $(grep -m1 '^training completed' "$WORK/A.log")  ($(( $(date +%s) - start )) s)"

B="$WORK/B"
dotnet "$DLL" train --out "$B" "${TINY[@]}" >"$WORK/B.0.log" 2>&1 &
pid=$!
for round in $(seq 1 "$KILLS"); do
  delay=$(( 1 + RANDOM % 4 )).$(( RANDOM % 10 ))
  sleep "$delay"
  if (( round == 1 )); then
    for _ in $(seq 50); do [[ -f "$B/config.json" ]] && break; sleep 0.1; done
    # A second process on the same folder must be refused while the first one trains.
    set +e
    msg=$(aem train --resume "$B" 2>&1 >/dev/null); code=$?
    forced=$(aem train --out "$B" --force "${TINY[@]}" 2>&1 >/dev/null); fcode=$?
    set -e
    want="another aem process (PID $pid) is using this run folder"
    if [[ $code == 2 && $msg == *"$want"* && $fcode == 2 && $forced == *"$want"* ]]; then
      echo "concurrent --resume and --out --force on B while PID $pid trains: refused, exit 2: $msg"
      concurrency=refused
    else
      fail "concurrent run not refused as expected: --resume exit $code '$msg'; --force exit $fcode '$forced'"
    fi
  fi
  if ! kill -9 "$pid" 2>/dev/null; then
    wait "$pid" || true
    echo "round $round: the run finished before the kill at ${delay}s"
    break
  fi
  wait "$pid" 2>/dev/null || true
  kills=$((kills + 1))
  if has_checkpoint "$B"; then
    if info=$(aem info --checkpoint "$B" 2>&1); then
      echo "round $round: SIGKILL after ${delay}s; checkpoint loads: last/ at $(sed -n 's/^last .*: \(step [0-9,]*\),.*/\1/p' <<<"$info")"
    else
      fail "round $round: checkpoint unloadable after SIGKILL: $info"
    fi
    dotnet "$DLL" train --resume "$B" >"$WORK/B.$round.log" 2>&1 &
  else
    echo "round $round: SIGKILL after ${delay}s, before the first checkpoint; starting over"
    dotnet "$DLL" train --out "$B" --force "${TINY[@]}" >"$WORK/B.$round.log" 2>&1 &
  fi
  pid=$!
done
wait "$pid" || fail "last resumed run exited $?"
if has_checkpoint "$B" && ! grep -q '^training completed' "$WORK"/B.*.log; then
  aem train --resume "$B" >"$WORK/B.final.log" 2>&1 || fail "final resume exited $?"
fi

a=$(sha256sum "$WORK/A/last/model.bin" | cut -d' ' -f1)
b=$(sha256sum "$B/last/model.bin" | cut -d' ' -f1)
echo "A/last/model.bin sha256 $a"
echo "B/last/model.bin sha256 $b"
[[ $a == "$b" ]] || fail "resumed weights differ from the uninterrupted run's"
for run in A B; do
  aem info --checkpoint "$WORK/$run" >/dev/null 2>&1 || fail "$run: final checkpoint does not load"
done

(( kills > 0 )) || fail "no SIGKILL landed before the run finished; raise STEPS"
[[ $concurrency == refused ]] || fail "concurrent use $concurrency"
if (( failures == 0 )); then
  echo "PASS: $kills SIGKILLs left loadable checkpoints; resumed weights identical to the uninterrupted run; concurrent use refused"
else
  echo "FAIL: $failures check(s) failed"
  exit 1
fi
