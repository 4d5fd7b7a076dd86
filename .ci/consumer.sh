#!/usr/bin/env bash
# Adoption end to end, from the packages alone: packs Bun into a local folder feed, installs the template from its
# nupkg, makes a repository of samples/consumer in a temp folder outside this one, runs `dotnet new bun-build`
# there and builds and tests it with ./build.sh; then edits the scaffolded environments table and sees the build
# follow it. Nothing global changes: the template goes into a private hive and the packages into a private NuGet
# folder (the machine's cache is only read, as a fallback folder), so a package of the same version from an earlier
# run can never stand in for this one.
set -euo pipefail

SOURCE="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/bun-consumer.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
MACHINE_PACKAGES="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
FEED="$WORK/feed"
HIVE="$WORK/template-hive"
REPO="$WORK/repository"

step() { echo "consumer: $*" >&2; }
fail() { echo "consumer: $*" >&2; exit 1; }

step "packing into $FEED"
"$SOURCE/build.sh" Pack --output "$FEED"
template=("$FEED"/Bun.Templates.*.nupkg)
[[ ${#template[@]} -eq 1 && -f ${template[0]} ]] || fail "expected one Bun.Templates package in $FEED, found: ${template[*]}"

# From here on the consumer's packages go to a private folder (the pack above used this repository's as usual).
export NUGET_PACKAGES="$WORK/nuget-packages"

step "installing the template from ${template[0]##*/}"
dotnet new install "${template[0]}" --debug:custom-hive "$HIVE" >&2

step "a repository of samples/consumer in $REPO"
cp -R "$SOURCE/samples/consumer" "$REPO"
cd "$REPO"
git init --quiet --initial-branch=main
git add --all
git -c user.name=consumer -c user.email=consumer@bun.invalid -c commit.gpgsign=false commit --quiet --no-verify -m "A repository that adopts Bun"
# The local feed comes on top of the sources this machine is configured with (nothing is cleared).
cat >nuget.config <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="bun-local" value="$FEED" />
  </packageSources>
  <fallbackPackageFolders>
    <add key="machine" value="$MACHINE_PACKAGES" />
  </fallbackPackageFolders>
</configuration>
EOF

step "dotnet new bun-build"
dotnet new bun-build --debug:custom-hive "$HIVE" >&2
[[ -x build.sh && -f build.ps1 && -f build/_build.csproj && -f .nuke/parameters.json && -f global.json ]] \
    || fail "dotnet new bun-build did not scaffold build.sh, build.ps1, build/, .nuke/ and global.json"
! grep -q ProjectReference build/_build.csproj || fail "the scaffolded build references a project; it must use the packages only"

step "dotnet new bun-build again, without --force, must refuse"
if again=$(dotnet new bun-build --debug:custom-hive "$HIVE" 2>&1); then
    fail "a second dotnet new bun-build overwrote the existing build/: $again"
fi
grep -q "build/_build.csproj" <<<"$again" && grep -q -- "--force" <<<"$again" \
    || fail "the refusal does not name the existing build/ and --force: $again"

step "./build.sh --help"
./build.sh --help >/dev/null
step "./build.sh Test --plan --json"
plan=$(./build.sh Test --plan --json)
grep -q '"name": "Compile"' <<<"$plan" && grep -q '"name": "Test"' <<<"$plan" || fail "the plan lacks Compile and Test: $plan"
step "./build.sh Test"
./build.sh Test >&2

step "dotnet new bun-build --delivery --force, then ./build.sh Ci --plan --json"
dotnet new bun-build --delivery --force --debug:custom-hive "$HIVE" >&2
plan=$(./build.sh Ci --plan --json)
grep -q '"kind": "main"' <<<"$plan" && grep -q '"name": "Test"' <<<"$plan" || fail "the delivery plan lacks the context or Test: $plan"

step "the consumer's own environments table: qa instead of test, then ./build.sh Ci --plan --environment"
# As a repository edits its copy: the scaffolded table is the only place the rows live.
sed -e 's/new("test", "QA and the front-end and back-end teams test features"/new("qa", "the QA team'"'"'s acceptance runs"/' \
    build/Build.Environments.cs >build/Build.Environments.edited && mv build/Build.Environments.edited build/Build.Environments.cs
grep -q 'new("qa"' build/Build.Environments.cs || fail "could not rename the test row of build/Build.Environments.cs"
if refused=$(./build.sh Ci --plan --environment test 2>&1); then
    fail "--environment test was accepted after the consumer dropped it from its table: $refused"
fi
grep -q "expected local, dev, qa, stage or prod" <<<"$refused" || fail "the --environment refusal does not list the consumer's table: $refused"
./build.sh Ci --plan --environment qa >/dev/null || fail "--environment qa, a row of the consumer's own table, was refused"

step "adopted from the packages alone: $(cd "$FEED" && echo *.nupkg)"
