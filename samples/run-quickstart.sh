#!/usr/bin/env bash
# Proves the packages work as a user would use them, offline:
#   1. packs Aem, Aem.Images and the aem tool (Aem.Cli) into a local folder feed;
#   2. builds samples/QuickStart against the packed Aem (not the project) from that feed and the
#      machine's NuGet cache, runs it on a generated table with three injected outliers and checks that
#      they are its three least likely rows and that it wrote 1,000 samples;
#   3. installs the aem tool from the same feed into a temporary --tool-path and trains, scores and
#      samples with it.
# Usage: samples/run-quickstart.sh        (about 3–4 minutes; needs the packages the build restored)
set -euo pipefail
cd -P "$(dirname "${BASH_SOURCE[0]}")/.."
say() { printf 'quickstart: %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
feed=$work/feed
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
cache=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')
[ -d "$cache" ] || fail "no NuGet cache at '$cache'; build the solution once first (./bootstrap.sh test)."

say "packing into $feed"
for project in src/Aem/Aem.csproj src/Aem.Images/Aem.Images.csproj src/Aem.Cli/Aem.Cli.csproj; do
  dotnet pack "$project" -c Release -o "$feed" -v q -nologo >"$work/pack.log" 2>&1 || { cat "$work/pack.log" >&2; fail "dotnet pack $project"; }
done
ls -l "$feed" >&2
version=$(ls "$feed" | sed -n 's/^Aem\.\([0-9][0-9.]*\)\.nupkg$/\1/p')
[ -n "$version" ] || fail "no Aem package in the feed"

# Only the local feed and the machine's cache: nothing is fetched from the network.
cat >"$work/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local-feed" value="$feed" />
    <add key="machine-cache" value="$cache" />
  </packageSources>
</configuration>
CONFIG
# The cache may hold an earlier build of these packages under the same version number.
rm -rf "$cache/aem" "$cache/aem.images" "$cache/aem.cli"

# 800 rows of three correlated columns (a seeded awk generator) and three rows far from them.
awk 'BEGIN { srand(1); print "temperature,pressure,flow";
  for (i = 1; i <= 800; i++) {
    if (i == 200 || i == 400 || i == 600) { printf "%.4f,%.4f,%.4f\n", 20 + 15 * (i / 200), 1013 - 80, 5.0; continue }
    u = sqrt(-2 * log(1 - rand())) * cos(6.283185307 * rand()); v = sqrt(-2 * log(1 - rand())) * cos(6.283185307 * rand());
    t = 20 + 3 * u; printf "%.4f,%.4f,%.4f\n", t, 1013 + 2 * t + 4 * v, 40 + 0.5 * t + 2 * u * v }
}' >"$work/data.csv"

say "building samples/QuickStart against Aem $version from the feed ($rid)"
app=$work/quickstart
dotnet build samples/QuickStart/QuickStart.csproj -c Release -r "$rid" -o "$app" --configfile "$work/nuget.config" \
  -p:RestorePackagesPath="$cache" -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "building QuickStart"; }
grep -q "aem/$version" "$app/QuickStart.deps.json" || fail "QuickStart did not use the packed Aem $version"
(cd "$work" && dotnet "$app/QuickStart.dll" data.csv 20) | tee "$work/quickstart.out"
least=$(awk '/least likely/ {on = 1; next} on && /row/ {print $2}' "$work/quickstart.out" | head -n 3 | tr -d ':' | sort -n | tr '\n' ' ')
[ "$least" = "200 400 600 " ] || fail "the injected rows 200, 400, 600 are not the three least likely (got: $least)"
[ "$(wc -l <"$work/samples.csv")" -eq 1001 ] || fail "samples.csv does not hold 1,000 samples"

say "installing the aem tool from the feed"
dotnet tool install Aem.Cli --version "$version" --tool-path "$work/tools" --configfile "$work/nuget.config" >&2 \
  || fail "dotnet tool install Aem.Cli"
aem=$work/tools/aem
"$aem" --version
"$aem" train --data "$work/data.csv" --steps 200 --out "$work/run" --threads 1 --log-every 100
"$aem" score --checkpoint "$work/run" --data "$work/data.csv" --output "$work/scores.csv" --samples 200 --top 3 --threads 1 | tee "$work/score.out"
[ "$(wc -l <"$work/scores.csv")" -eq 801 ] || fail "aem score did not write one line per row"
"$aem" sample --checkpoint "$work/run" -n 100 --output "$work/samples-tool.csv" --threads 1
say "ok: QuickStart built from the packed Aem $version and ran; the aem tool installed from the feed and ran"
