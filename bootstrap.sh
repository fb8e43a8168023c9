#!/usr/bin/env bash
# Sets up what the project needs on this machine and runs it.
#   ./bootstrap.sh demo      build the CLI and run `aem demo`
#   ./bootstrap.sh test      run the test suite
#   ./bootstrap.sh build     only build (the CLI and the tests), run nothing
#   ./bootstrap.sh check     only check the prerequisites; builds nothing
#   ./bootstrap.sh ARGS...   build the CLI and run `aem ARGS...`
# It installs nothing. See docs/setup.md for what is checked and why.
set -euo pipefail

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

cd -P "$(dirname "${BASH_SOURCE[0]}")"

say() { printf 'bootstrap: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

usage() {
  cat <<'EOF'
usage: ./bootstrap.sh COMMAND [ARGS...]

  demo            build the CLI (Release) and run `aem demo`
  test [ARGS...]  run the test suite once (`dotnet test Aem.slnx -c Release`);
                  results go to TestResults/*.trx; extra ARGS go to `dotnet test`.
                  Without ARGS it then runs samples/run-quickstart.sh: packs the
                  library and the tool, builds samples/QuickStart against the
                  package and installs and runs the tool (a few minutes)
  build [ARGS...] only build the library, the CLI and the tests (Release); runs
                  nothing; extra ARGS go to `dotnet build`
  check           only check the prerequisites; builds nothing
  -h, --help      this text (builds nothing)
  anything else   build the CLI and run `aem` with all the arguments given

Every command first checks, locally and without installing anything:
  - a .NET SDK 10 or newer is on PATH (and satisfies global.json);
  - the system libstdc++ is GCC 12's or newer (GLIBCXX_3.4.30, CXXABI_1.3.13).
    TorchSharp's native library also names GLIBCXX_3.4.32 (GCC 13+), for one symbol
    it never calls; where libstdc++ lacks it (Debian 12), the build marks that need
    weak in its own copy of the library. The system is not changed.
See docs/setup.md.
EOF
}

# ---------------------------------------------------------------- .NET SDK

check_dotnet() {
  command -v dotnet >/dev/null 2>&1 || die "no 'dotnet' on PATH. Install the .NET 10 SDK
  (Debian/Ubuntu package 'dotnet-sdk-10.0' from Microsoft's package feed, or the
  dotnet-install script, see https://learn.microsoft.com/dotnet/core/install/linux)
  and make sure 'dotnet' is on PATH."
  local majors best
  majors=$(dotnet --list-sdks 2>/dev/null | awk -F. '/^[0-9]/{print $1}' | sort -n | uniq)
  best=$(printf '%s\n' "$majors" | tail -n1)
  if [ -z "$best" ] || [ "$best" -lt 10 ]; then
    die "found dotnet at $(command -v dotnet) but no .NET SDK 10 or newer (installed SDKs: ${majors:-none}).
  Install the .NET 10 SDK (package 'dotnet-sdk-10.0', or the dotnet-install script)."
  fi
  # global.json pins the SDK band; asking for the version here reports a mismatch now
  # instead of as a confusing build failure later.
  if ! dotnet --version >/dev/null 2>&1; then
    dotnet --version >&2 || true
    die "the installed SDKs do not satisfy global.json (needs 10.0.100 or a later 10.0 feature band); install the .NET 10 SDK."
  fi
}

# ---------------------------------------------------------------- libstdc++

# TorchSharp's libLibTorchSharp.so records a need for GLIBCXX_3.4.32 (GCC 13+), but only for
# std::ios_base_library_init, a marker symbol it never calls. Where the system libstdc++ lacks
# that version, the build marks the need weak in its own copy of the library
# (Directory.Build.targets, native/NativeLibstdcxxCheck.cs); the real needs stop at these two.
FULL_GLIBCXX=GLIBCXX_3.4.32
NEEDED_VERSIONS='GLIBCXX_3.4.30 CXXABI_1.3.13'

# The libstdc++ the dynamic loader will hand TorchSharp's native library.
find_libstdcxx() {
  local tag='' ldc
  case "$(uname -m)" in
    x86_64) tag='x86-64' ;;
    aarch64 | arm64) tag='AArch64' ;;
  esac
  ldc=$(command -v ldconfig || true)
  if [ -z "$ldc" ] && [ -x /sbin/ldconfig ]; then ldc=/sbin/ldconfig; fi
  local candidates='' f d
  # LD_LIBRARY_PATH comes first for the loader too.
  while IFS= read -r d; do
    if [ -n "$d" ] && [ -e "$d/libstdc++.so.6" ]; then printf '%s\n' "$d/libstdc++.so.6"; return 0; fi
  done < <(printf '%s\n' "${LD_LIBRARY_PATH:-}" | tr ':' '\n')
  # ldconfig -p also lists other ABIs' copies (e.g. i386); keep this machine's.
  if [ -n "$ldc" ]; then
    candidates=$("$ldc" -p 2>/dev/null | awk -v tag="$tag" '$1 == "libstdc++.so.6" && (tag == "" || index($0, tag)) {print $NF}' || true)
  fi
  for f in $candidates /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /lib/x86_64-linux-gnu/libstdc++.so.6 \
           /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /lib/aarch64-linux-gnu/libstdc++.so.6 \
           /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
    if [ -e "$f" ]; then printf '%s\n' "$f"; return 0; fi
  done
}

# All GLIBCXX_x.y.z and CXXABI_x.y.z version tags in the library. A minimal Debian has no
# binutils, so `strings` is optional; grep -a over the ELF file finds the same tags.
libstdcxx_versions() {
  if command -v strings >/dev/null 2>&1; then
    strings "$1" | grep -oE '^(GLIBCXX|CXXABI)_[0-9]+\.[0-9]+(\.[0-9]+)?$' || true
  else
    LC_ALL=C grep -aoE '(GLIBCXX|CXXABI)_[0-9]+\.[0-9]+(\.[0-9]+)?' "$1" || true
  fi | sort -u -V
}

# has_versions LIB TAG... : LIB defines every TAG.
has_versions() {
  local lib=$1 have v; shift
  have=$(libstdcxx_versions "$lib")
  for v in "$@"; do
    # no grep -q: an early exit would make the pipeline fail under pipefail
    printf '%s\n' "$have" | grep -x "$v" >/dev/null || return 1
  done
}

newest_glibcxx() { libstdcxx_versions "$1" | grep '^GLIBCXX_' | tail -n1; }

LIBSTDCXX_STATUS=''

check_libstdcxx() {
  local lib newest
  lib=$(find_libstdcxx)
  [ -n "$lib" ] || die "no libstdc++.so.6 found (ldconfig -p, /usr/lib, /lib); TorchSharp's native library needs one.
  Install your distribution's libstdc++6 (GCC 12 or newer; Debian/Ubuntu: apt-get install libstdc++6)."
  newest=$(newest_glibcxx "$lib")
  if has_versions "$lib" "$FULL_GLIBCXX"; then
    LIBSTDCXX_STATUS="libstdc++ has $FULL_GLIBCXX ($lib)"
    return 0
  fi
  if has_versions "$lib" $NEEDED_VERSIONS; then
    LIBSTDCXX_STATUS="libstdc++ has ${newest:-?}, not $FULL_GLIBCXX ($lib); builds mark that need weak (see above)"
    say "system libstdc++ ($lib, newest ${newest:-?}) lacks $FULL_GLIBCXX: the build marks that need weak in the build output's copy of libLibTorchSharp.so (its only symbol, std::ios_base_library_init, is never called). Nothing is installed; see docs/setup.md."
    return 0
  fi
  die "system libstdc++ is too old for TorchSharp's native library: $lib (newest version tag: ${newest:-none found}); it needs ${NEEDED_VERSIONS// / and } (GCC 12 or newer).
  Fix: install a libstdc++6 from GCC 12 or newer (Debian 12+, Ubuntu 22.04+, Fedora 36+ and other current distributions have one)."
}

check_all() {
  check_dotnet
  check_libstdcxx
}

# ---------------------------------------------------------------- commands

CLI_PROJECT=src/Aem.Cli/Aem.Cli.csproj

run_cli() {
  # dotnet build always appends a summary, even at -v q; keep the terminal for the
  # CLI's own output and show the build's only when it failed.
  local log
  log=$(mktemp)
  say "building $CLI_PROJECT (Release; the first build also downloads TorchSharp and libtorch)"
  if ! dotnet build "$CLI_PROJECT" -c Release -v q -nologo >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    die "build of $CLI_PROJECT failed (see above)."
  fi
  rm -f "$log"
  # Ask MSBuild where the output went instead of guessing the RID folder; running the
  # dll through the same muxer also works when dotnet is not installed where the apphost looks.
  local dll
  dll=$(dotnet msbuild "$CLI_PROJECT" -nologo -p:Configuration=Release -getProperty:TargetPath)
  [ -f "$dll" ] || die "built CLI not found at '$dll'."
  exec dotnet "$dll" "$@"
}

TEST_PROJECT=tests/Aem.Tests/Aem.Tests.csproj

build_all() {
  # The test project references the library and the CLI, so this builds what `demo` and
  # `test` use (not bench/); dotnet's own output shows what was built.
  exec dotnet build "$TEST_PROJECT" -c Release -nologo "$@"
}

run_tests() {
  # One invocation builds and runs every test project; the trx files are what .ci/run counts.
  local rc=0
  dotnet test Aem.slnx -c Release --logger "trx;LogFilePrefix=results" --results-directory TestResults "$@" || rc=$?
  # Without extra arguments (a full run, as CI does) the packages are then checked as a user
  # meets them: packed, QuickStart built against the package, the tool installed and run.
  if [ $# -eq 0 ]; then
    samples/run-quickstart.sh || { say "the package check (samples/run-quickstart.sh) failed"; [ "$rc" -ne 0 ] || rc=1; }
  fi
  return "$rc"
}

case "${1:-}" in
  -h | --help | help) usage ;;
  '') usage >&2; exit 2 ;;
  check) check_all; say "ok: $(dotnet --version) SDK; $LIBSTDCXX_STATUS" ;;
  build) shift; check_all; build_all "$@" ;;
  test) shift; check_all; run_tests "$@" ;;
  *) check_all; run_cli "$@" ;;
esac
