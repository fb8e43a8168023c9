#!/usr/bin/env bash
# Scores with aem on a real Slurm: brings up a one-node cluster (munged, slurmctld, slurmd) in a
# temporary folder, trains a small model, submits N shards of `aem evaluate` and `aem score` as one job
# array (bench/aem-shards.sbatch, the script users submit on their clusters), waits, merges the shards
# with `aem merge`, and checks the merged results equal a single-process run: evaluation.json's scores
# to the last digit and the per-row scores.csv byte for byte. It stops everything it started.
#
#   bench/slurm-shards.sh [--shards N] [--samples S] [--points P] [--steps T] [--keep]
#
# Needs root on Debian: it installs Debian's slurm-wlm and munge with apt-get when they are missing,
# from the machine's configured apt sources. Exit 0: the merged results equal the single-process ones;
# 1: they do not, or a step failed; 2: refused (not root, not Debian, bad arguments).
# See docs/scale-out.md.
set -euo pipefail

shards=4      # N, the array's size
samples=100   # S
points=4096   # test points evaluated, and rows scored
steps=300     # training steps of the small model
keep=no

say() { printf 'slurm-shards: %s\n' "$*" >&2; }
refuse() { say "$*"; exit 2; }
fail() { say "FAILED: $*"; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards=${2:?}; shift 2 ;;
    --samples) samples=${2:?}; shift 2 ;;
    --points) points=${2:?}; shift 2 ;;
    --steps) steps=${2:?}; shift 2 ;;
    --keep) keep=yes; shift ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) refuse "unknown argument '$1' (see --help)" ;;
  esac
done
for value in "$shards" "$samples" "$points" "$steps"; do
  [[ "$value" =~ ^[1-9][0-9]*$ ]] || refuse "--shards, --samples, --points and --steps take positive whole numbers, not '$value'"
done

[ "$(id -u)" = 0 ] || refuse "needs root (it installs slurm-wlm and munge and starts munged, slurmctld and slurmd); on a cluster, submit bench/aem-shards.sbatch with sbatch instead (docs/scale-out.md)"
# shellcheck disable=SC1091
{ [ -r /etc/os-release ] && . /etc/os-release && [ "${ID:-}" = debian ] && [ -r /etc/debian_version ]; } ||
  refuse "needs Debian (it installs Debian's slurm-wlm and munge with apt-get); this is ${PRETTY_NAME:-an unknown system}"

repo=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
clock_start=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# ------------------------------------------------------------------ Slurm and munge from Debian

if ! command -v sbatch >/dev/null || ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  say "installing Debian's slurm-wlm and munge (apt-get, the configured sources)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null || fail "apt-get install slurm-wlm munge failed"
fi
say "Slurm $(dpkg-query -W -f '${Version}' slurm-wlm 2>/dev/null || echo '(version unknown)'), $(munged --version 2>&1 | head -n1)"

# ------------------------------------------------------------------ the tool

if [ -z "${AEM:-}" ]; then
  say "building the aem tool (Release)"
  "$repo/bootstrap.sh" check >/dev/null
  dotnet build "$repo/src/Aem.Cli/Aem.Cli.csproj" -c Release -v q -nologo >/dev/null || fail "dotnet build of src/Aem.Cli failed"
  dll=$(dotnet msbuild "$repo/src/Aem.Cli/Aem.Cli.csproj" -nologo -p:Configuration=Release -getProperty:TargetPath)
  AEM="dotnet $dll"
fi
export AEM DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# ------------------------------------------------------------------ a one-node cluster in a temporary folder

work=$(mktemp -d "${TMPDIR:-/tmp}/aem-slurm.XXXXXX")
chmod 755 "$work"
mkdir -p "$work"/{munge,state,spool,log,out}
munged_pid='' slurmctld_pid='' slurmd_pid=''

stop() {
  local rc=$?
  set +e
  if [ -n "$slurmctld_pid" ] && [ -f "$work/slurm.conf" ]; then
    # Jobs first, so that their step daemons end with them.
    SLURM_CONF="$work/slurm.conf" scancel --quiet --user=root 2>/dev/null
    for _ in $(seq 30); do
      [ -z "$(SLURM_CONF="$work/slurm.conf" squeue -h 2>/dev/null)" ] && break
      sleep 1
    done
  fi
  for pid in "$slurmd_pid" "$slurmctld_pid" "$munged_pid"; do
    [ -n "$pid" ] || continue
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  if [ "$rc" -ne 0 ] && [ -d "$work/log" ]; then
    for f in "$work"/log/*.log "$work"/out/*.out; do
      [ -f "$f" ] && { say "--- last lines of $f"; tail -n 15 "$f" >&2; }
    done
  fi
  if [ "$keep" = yes ]; then say "kept $work"; else rm -rf "$work"; fi
  say "stopped munged, slurmctld and slurmd"
  exit "$rc"
}
trap stop EXIT
trap 'exit 130' INT TERM

# A port nothing listens on, from a private range, so that a Slurm already on the machine is left alone.
free_port() {
  local port
  for port in $(seq "$1" $(($1 + 200))); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  fail "no free port from $1"
}
ctld_port=$(free_port 26817)
slurmd_port=$(free_port $((ctld_port + 1)))
[ -n "$ctld_port" ] && [ -n "$slurmd_port" ] || fail "no free TCP port for slurmctld and slurmd"
cpus=$(nproc)
node=aemnode

mungekey -c -k "$work/munge/munge.key" >/dev/null 2>&1 ||
  { dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none && chmod 600 "$work/munge/munge.key"; }
munged -F --socket="$work/munge/munge.socket" --key-file="$work/munge/munge.key" --pid-file="$work/munge/munged.pid" \
  --log-file="$work/log/munged.log" --seed-file="$work/munge/munged.seed" >>"$work/log/munged.out" 2>&1 &
munged_pid=$!
for _ in $(seq 50); do [ -S "$work/munge/munge.socket" ] && break; sleep 0.2; done
munge -n -S "$work/munge/munge.socket" | unmunge -S "$work/munge/munge.socket" >/dev/null || fail "munged does not answer"

cat >"$work/slurm.conf" <<EOF
# A one-node cluster for bench/slurm-shards.sh; everything lives in $work.
ClusterName=aemshards
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
NodeName=$node NodeHostname=$(uname -n) NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=aem Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$work/slurm.conf"

slurmctld -D -i -f "$SLURM_CONF" >>"$work/log/slurmctld.out" 2>&1 &
slurmctld_pid=$!
for _ in $(seq 60); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.5; done
scontrol ping | grep -q UP || fail "slurmctld did not come up"
slurmd -D -f "$SLURM_CONF" -N "$node" >>"$work/log/slurmd.out" 2>&1 &
slurmd_pid=$!
for _ in $(seq 60); do [ "$(sinfo -h -n "$node" -o %t 2>/dev/null)" = idle ] && break; sleep 0.5; done
[ "$(sinfo -h -n "$node" -o %t)" = idle ] || fail "slurmd did not register (node state: $(sinfo -h -n "$node" -o %t))"
say "cluster up in $(elapsed "$clock_start") s: node $node with $cpus CPUs, slurmctld on port $ctld_port (munged, slurmctld and slurmd from $work)"

# ------------------------------------------------------------------ a small model and data to score

run="$work/run"
# shellcheck disable=SC2086
$AEM train --dataset checkerboard --out "$run" --steps "$steps" --hidden 32 --energy-hidden 32 --context 16 --blocks 1 \
  --batch-size 128 --train-points 20000 --held-out-points "$points" --val-points 512 --val-samples 20 --threads 1 >"$work/log/train.log" 2>&1 ||
  fail "training the small model failed (see $work/log/train.log)"
awk -v n="$points" 'BEGIN { srand(7); print "x1,x2"; for (i = 0; i < n; i++) printf "%.5f,%.5f\n", 8 * rand() - 4, 8 * rand() - 4 }' >"$work/rows.csv"
say "trained a small checkerboard model ($steps steps); scoring $points test points and $points rows at S = $samples"

# ------------------------------------------------------------------ N shards as one job array

job_start=$(date +%s.%N)
timeout 3600 sbatch --wait --quiet --array="0-$((shards - 1))" --output="$work/out/shard-%a.out" \
  --export="ALL,AEM_RUN=$run,AEM_OUT=$work/shards,AEM_DATA=$work/rows.csv,AEM_EVALUATE=yes,AEM_SAMPLES=$samples,AEM_SEED=1" \
  "$repo/bench/aem-shards.sbatch" || fail "the job array failed"
array_seconds=$(elapsed "$job_start")
say "$shards shards done in $array_seconds s (submission to the last shard's end, $cpus CPUs)"
# shellcheck disable=SC2086
$AEM merge "$work"/shards/evaluation.shard-*-of-"$shards".aemshard >"$work/log/merge-evaluation.log" || fail "aem merge (evaluate) failed"
# shellcheck disable=SC2086
$AEM merge "$work"/shards/scores.shard-*-of-"$shards".aemshard >"$work/log/merge-score.log" || fail "aem merge (score) failed"
cat "$work/log/merge-evaluation.log" "$work/log/merge-score.log"

# ------------------------------------------------------------------ the same in one process

single_start=$(date +%s.%N)
# shellcheck disable=SC2086
$AEM evaluate --checkpoint "$run" --out "$work/single" --samples "$samples" --seed 1 --threads 1 >/dev/null || fail "single-process aem evaluate failed"
# shellcheck disable=SC2086
$AEM score --checkpoint "$run" --data "$work/rows.csv" --output "$work/single/scores.csv" --samples "$samples" --seed 1 --threads 1 >/dev/null ||
  fail "single-process aem score failed"
single_seconds=$(elapsed "$single_start")
say "one process, one thread: $single_seconds s"

# evaluation.json differs only in the wall time; every score is written to the last digit.
diff <(grep -v '"Seconds"' "$work/single/evaluation.json") <(grep -v '"Seconds"' "$work/shards/evaluation.json") >&2 ||
  fail "the merged evaluation.json differs from the single-process one (above)"
cmp "$work/single/scores.csv" "$work/shards/scores.csv" || fail "the merged scores.csv differs from the single-process one"

say "OK: the merged results of $shards shards equal the single-process run (evaluation.json's scores to the last digit, scores.csv byte for byte)"
say "times: one process $single_seconds s, $shards shards on $cpus CPUs $array_seconds s; whole script $(elapsed "$clock_start") s"
