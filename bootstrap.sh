#!/usr/bin/env bash
# Sets up what the project needs on this machine and runs it.
#   ./bootstrap.sh demo      build the CLI and run `aem demo`
#   ./bootstrap.sh test      run the test suite
#   ./bootstrap.sh check     only check (and on Debian 12 as root, fix) the prerequisites
#   ./bootstrap.sh ARGS...   build the CLI and run `aem ARGS...`
# See docs/setup.md for what is checked and installed.
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
                  results go to TestResults/*.trx; extra ARGS go to `dotnet test`
  check           only check the prerequisites (and install what can be installed)
  -h, --help      this text
  anything else   build the CLI and run `aem` with all the arguments given

Every command first checks:
  - a .NET SDK 10 or newer is on PATH (and satisfies global.json);
  - the system libstdc++ provides GLIBCXX_3.4.32 (GCC 13+), which TorchSharp's
    native library needs. On Debian 12 run as root, the script installs Debian 13's
    libstdc++6 from the Debian mirror this machine is already configured with;
    elsewhere it only tells you what to install.
Once everything is present, the checks are local and do not use the network.
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

NEEDED_GLIBCXX=GLIBCXX_3.4.32

# The libstdc++ the dynamic loader will hand TorchSharp's native library.
find_libstdcxx() {
  local tag='' ldc
  case "$(uname -m)" in
    x86_64) tag='x86-64' ;;
    aarch64 | arm64) tag='AArch64' ;;
  esac
  ldc=$(command -v ldconfig || true)
  if [ -z "$ldc" ] && [ -x /sbin/ldconfig ]; then ldc=/sbin/ldconfig; fi
  local candidates='' f
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

# All GLIBCXX_x.y.z version tags in the library. A minimal Debian has no binutils,
# so `strings` is optional; grep -a over the ELF file finds the same tags.
glibcxx_versions() {
  if command -v strings >/dev/null 2>&1; then
    strings "$1" | grep -oE '^GLIBCXX_[0-9]+\.[0-9]+(\.[0-9]+)?$' || true
  else
    LC_ALL=C grep -aoE 'GLIBCXX_[0-9]+\.[0-9]+(\.[0-9]+)?' "$1" || true
  fi | sort -u -V
}

has_glibcxx() {
  local lib
  lib=$(find_libstdcxx)
  # no grep -q: an early exit would make the pipeline fail under pipefail
  [ -n "$lib" ] && glibcxx_versions "$lib" | grep -x "$NEEDED_GLIBCXX" >/dev/null
}

describe_libstdcxx() {
  local lib newest
  lib=$(find_libstdcxx)
  if [ -z "$lib" ]; then
    echo "no libstdc++.so.6 found"
  else
    newest=$(glibcxx_versions "$lib" | tail -n1)
    echo "$lib (newest version tag: ${newest:-none found})"
  fi
}

# shellcheck source=/dev/null
os_field() { (. /etc/os-release 2>/dev/null; printf '%s' "${!1:-}"); }

# Turns this machine's own entry for the main Debian archive (suite = its codename,
# not -security/-updates) into a deb822 stanza for trixie/main with the same URIs,
# Signed-By and Architectures. Reads deb822 (*.sources) or one-line (*.list) files.
trixie_stanza_from() {
  local file=$1 codename=$2
  case "$file" in
    *.sources)
      awk -v suite="$codename" '
        function flush() {
          if (!done && types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && enabled != "no" && uris != "") {
            print "Types: deb"; print "URIs: " uris; print "Suites: trixie"; print "Components: main"
            if (arch != "") print "Architectures: " arch
            if (signed != "") printf "%s", signed
            done = 1
          }
          types = suites = uris = arch = signed = enabled = ""; key = ""
        }
        /^#/ { next }
        /^[ \t]*$/ { flush(); next }
        /^[ \t]/ { if (key == "signed-by") signed = signed $0 "\n"; next }
        {
          key = tolower(substr($0, 1, index($0, ":") - 1)); val = substr($0, index($0, ":") + 1)
          gsub(/^[ \t]+|[ \t]+$/, "", val)
          if (key == "types") types = val
          else if (key == "suites") suites = val
          else if (key == "uris") uris = val
          else if (key == "architectures") arch = val
          else if (key == "enabled") enabled = tolower(val)
          else if (key == "signed-by") signed = $0 "\n"
        }
        END { flush() }' "$file"
      ;;
    *)
      # deb [opt=val ...] URI SUITE COMPONENT...
      awk -v suite="$codename" '
        /^[ \t]*deb[ \t]/ && !done {
          line = $0; sub(/^[ \t]*deb[ \t]+/, "", line); opts = ""
          if (substr(line, 1, 1) == "[") {
            opts = substr(line, 2, index(line, "]") - 2); line = substr(line, index(line, "]") + 1)
          }
          n = split(line, w, /[ \t]+/); i = (w[1] == "") ? 2 : 1
          if (w[i + 1] != suite) next
          print "Types: deb"; print "URIs: " w[i]; print "Suites: trixie"; print "Components: main"
          m = split(opts, o, /[ \t]+/)
          for (j = 1; j <= m; j++) {
            if (o[j] ~ /^signed-by=/) { sub(/^signed-by=/, "", o[j]); print "Signed-By: " o[j] }
            if (o[j] ~ /^arch=/) { sub(/^arch=/, "", o[j]); gsub(/,/, " ", o[j]); print "Architectures: " o[j] }
          }
          done = 1
        }' "$file"
      ;;
  esac
}

install_trixie_libstdcxx() {
  local codename file stanza tmp
  codename=$(os_field VERSION_CODENAME); codename=${codename:-bookworm}
  for file in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list \
              /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    stanza=$(trixie_stanza_from "$file" "$codename")
    [ -n "$stanza" ] && break
  done
  [ -n "${stanza:-}" ] || die "found no '$codename' entry for the Debian archive in /etc/apt/sources.list{,.d/}; cannot tell which mirror to use.
  Install a libstdc++6 from GCC 13 or newer (Debian 13's libstdc++6) by hand."
  say "installing Debian 13 (trixie) libstdc++6 from the mirror configured in $file ($(printf '%s\n' "$stanza" | awk '/^URIs:/{$1=""; print substr($0,2)}'))"

  # Everything apt is pointed at lives in a throwaway directory: the machine's own
  # sources, package lists and caches are left as they were.
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  chmod 755 "$tmp"   # apt downloads as the unprivileged _apt user, which must reach partial/
  mkdir -p "$tmp/lists/partial" "$tmp/archives/partial"
  printf '%s\n' "$stanza" >"$tmp/trixie.sources"
  local apt_opts=(
    -o "Dir::Etc::sourcelist=$tmp/trixie.sources" -o Dir::Etc::sourceparts=-
    -o APT::Get::List-Cleanup=0
    -o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache::Archives=$tmp/archives"
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
  )
  local t0=$SECONDS
  if ! apt-get "${apt_opts[@]}" -q update >"$tmp/update.log" 2>&1; then
    cat "$tmp/update.log" >&2
    if grep -qE 'NO_PUBKEY|EXPKEYSIG|not signed|signatures? (couldn.t|could not|were invalid)' "$tmp/update.log"; then
      die "the keyring named by this machine's Debian entry does not hold the Debian 13 (trixie) archive key.
  Install a newer debian-archive-keyring (bookworm's current one has it: apt-get update && apt-get install debian-archive-keyring), then run this again."
    fi
    die "apt-get update for trixie failed (see above)."
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" -q -y --no-install-recommends \
         -t trixie install libstdc++6 >"$tmp/install.log" 2>&1; then
    cat "$tmp/install.log" >&2
    die "installing trixie's libstdc++6 failed (see above)."
  fi
  grep -E '^(Setting up|Unpacking) ' "$tmp/install.log" | sed 's/^/bootstrap:   /' >&2 || true
  say "installed in $((SECONDS - t0)) s"
  rm -rf "$tmp"; trap - EXIT
}

check_libstdcxx() {
  has_glibcxx && return 0
  local fix="install a libstdc++6 from GCC 13 or newer (e.g. Debian 13's or Ubuntu 24.04's libstdc++6); on Debian 12 run this script as root and it installs it."
  if [ "$(os_field ID)" = debian ] && [ "$(os_field VERSION_ID)" = 12 ] && [ "$(id -u)" -eq 0 ]; then
    say "system libstdc++ lacks $NEEDED_GLIBCXX (needed by TorchSharp's native library): $(describe_libstdcxx)"
    command -v apt-get >/dev/null 2>&1 || die "no apt-get; $fix"
    install_trixie_libstdcxx
    has_glibcxx || die "still no $NEEDED_GLIBCXX after installing trixie's libstdc++6: $(describe_libstdcxx)"
  else
    die "system libstdc++ lacks $NEEDED_GLIBCXX, which TorchSharp's native library needs: $(describe_libstdcxx).
  Fix: $fix"
  fi
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

run_tests() {
  # One invocation builds and runs every test project; the trx files are what .ci/run counts.
  exec dotnet test Aem.slnx -c Release --logger "trx;LogFilePrefix=results" --results-directory TestResults "$@"
}

case "${1:-}" in
  -h | --help | help) usage ;;
  '') usage >&2; exit 2 ;;
  check) check_all; say "ok: $(dotnet --version) SDK, libstdc++ has $NEEDED_GLIBCXX ($(find_libstdcxx))" ;;
  test) shift; check_all; run_tests "$@" ;;
  *) check_all; run_cli "$@" ;;
esac
