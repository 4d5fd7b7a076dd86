#!/usr/bin/env bash
# Bootstrap for Bun's build: ./build.sh [targets…] [--parameter value…]
#
# Warm start (nothing changed since the last successful build): list the build project's inputs, compare the
# list with the one saved after that build, and exec the compiled build. No `dotnet build`, no SDK check.
# Cold start: pick an SDK that satisfies global.json (installing it into .nuke/temp/dotnet-sdk if need be),
# compile build/_build.csproj, save the list, then run. A binary whose inputs changed never runs.
#
# The inputs are every file under build/ and src/ (bin/ and obj/ excluded) plus the root files that steer
# MSBuild and the SDK; .nuke/ is not one (the build writes build.schema.json there). The "fingerprint" is the
# sorted list of path, size, mtime and ctime: cheap to take (one find, one sort) and compared byte for byte, so
# there is no hash to collide. ctime catches tools that restore an old mtime (cp -p, touch -r).
#
# Working directory: the script cds to its own folder. The engine finds the repository root by walking up from
# the working directory to a folder holding .nuke/, so starting from the script's folder always picks this
# repository, even when the script is started from inside another checkout. Relative path parameters are
# resolved against the repository root by the engine, so nothing depends on the caller's directory.
set -euo pipefail

# The script's folder without running dirname: every start pays for each process the script runs.
SCRIPT_DIRECTORY="${BASH_SOURCE[0]%/*}"
[[ $SCRIPT_DIRECTORY == "${BASH_SOURCE[0]}" ]] && SCRIPT_DIRECTORY=.
ROOT="$(cd -P "$SCRIPT_DIRECTORY" && pwd)"
cd "$ROOT"

TEMP_DIRECTORY="$ROOT/.nuke/temp"
FINGERPRINT_FILE="$TEMP_DIRECTORY/build.fingerprint"
LOCK_FILE="$TEMP_DIRECTORY/build.lock"
BUILD_PROJECT="$ROOT/build/_build.csproj"
# The build runs from its own output folder, which no solution build writes to: Compile and Test may rebuild
# build/_build.csproj (a test project references it) without touching the running binary. It is compiled in
# Release (targets such as ResetDummyDatabase run hot loops in the build process itself) and published
# ReadyToRun: its assemblies and the packages' are compiled ahead of time for this machine's runtime identifier,
# so a run starts without JIT-compiling most of its code (crossgen2 comes from NuGet, like the other packages).
#
# A laptop compiles the build now and then and starts it again and again, so there it is published self-contained
# as one ReadyToRun composite with the runtime and the packages, and started through its own executable: with the
# framework in the same image, the generic code the libraries instantiate over the build's types is compiled ahead
# of time too, which starts a run about 90 ms sooner. The price is the compile: about 1.5 min after a change under
# src/ (the composite is made again), 9 s after one under build/ only (_build.dll stays out of the composite). A CI
# job compiles once and starts the build a few times, so under CI=true it takes the plain ReadyToRun publish, which
# compiles in about 40 s and runs on the installed runtime.
BUILD_OUTPUT="$TEMP_DIRECTORY/build-bin"
BUILD_ASSEMBLY="$BUILD_OUTPUT/_build.dll"
BUILD_EXECUTABLE="$BUILD_OUTPUT/_build"
if [[ ${CI:-} == true ]]; then COMPOSITE=false; else COMPOSITE=true; fi
SDK_DIRECTORY="$TEMP_DIRECTORY/dotnet-sdk"
DOTNET_INSTALL_URL="https://dot.net/v1/dotnet-install.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The build project's inputs, one "path size mtime ctime" line each, sorted, after the kind of publish.
inputs() {
    echo "composite $COMPOSITE"
    local roots=() file
    for file in build src build.sh global.json NuGet.config nuget.config \
        Directory.Build.props Directory.Build.targets Directory.Packages.props Directory.Build.rsp; do
        [[ -e $file ]] && roots+=("$file")
    done
    # A file that vanishes mid-scan only makes the list differ, which errs towards compiling.
    {
        if [[ $OSTYPE == darwin* || $OSTYPE == *bsd* ]]; then
            find "${roots[@]}" \( -name bin -o -name obj \) -type d -prune -o -type f -print0 \
                | xargs -0 stat -f '%N %z %Fm %Fc'
        else
            find "${roots[@]}" \( -name bin -o -name obj \) -type d -prune -o -type f -printf '%p %s %T@ %C@\n'
        fi 2>/dev/null || true
    } | LC_ALL=C sort
}

# Sets DOTNET to the saved SDK when the saved inputs equal $1 and the build assembly exists; fails otherwise.
# The fingerprint file is "dotnet <path>" and then the input list.
is_current() {
    [[ -f $FINGERPRINT_FILE && -f $BUILD_ASSEMBLY ]] || return 1
    local saved
    saved="$(<"$FINGERPRINT_FILE")" || return 1
    [[ ${saved#*$'\n'} == "$1" ]] || return 1
    DOTNET="${saved%%$'\n'*}"
    DOTNET="${DOTNET#dotnet }"
    [[ -x $DOTNET ]]
}

# Sets DOTNET to an SDK that satisfies global.json: the installed one, or one installed into .nuke/temp.
# `dotnet --version` run here fails when no installed SDK satisfies global.json.
choose_sdk() {
    if command -v dotnet >/dev/null 2>&1 && dotnet --version >/dev/null 2>&1; then
        DOTNET="$(command -v dotnet)"
        return
    fi
    DOTNET="$SDK_DIRECTORY/dotnet"
    if [[ -x $DOTNET ]] && "$DOTNET" --version >/dev/null 2>&1; then
        return
    fi

    local version="" installer="$TEMP_DIRECTORY/dotnet-install.sh"
    if [[ -f global.json ]]; then
        version="$(sed -n 's/.*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' global.json | head -n 1)"
    fi
    echo "build.sh: no installed .NET SDK satisfies global.json; installing ${version:-the current STS SDK} into .nuke/temp/dotnet-sdk" >&2
    if command -v curl >/dev/null 2>&1; then
        curl -fsSL --retry 3 -o "$installer" "$DOTNET_INSTALL_URL"
    else
        wget -q -O "$installer" "$DOTNET_INSTALL_URL"
    fi
    if [[ -n $version ]]; then
        bash "$installer" --install-dir "$SDK_DIRECTORY" --version "$version" --no-path >&2
    else
        bash "$installer" --install-dir "$SDK_DIRECTORY" --channel STS --no-path >&2
    fi
}

# Compiles the build project unless another invocation did it while this one waited for the lock.
# Serialised by flock where it exists (util-linux; not on stock macOS).
compile() {
    exec 9>"$LOCK_FILE"
    if command -v flock >/dev/null 2>&1; then
        flock 9
    fi

    local current
    current="$(inputs)"
    if ! is_current "$current"; then
        choose_sdk
        rm -f "$FINGERPRINT_FILE"
        echo "build.sh: compiling the build project (build/ or src/ changed since it was last compiled)" >&2
        # The compiler's output is shown only when it fails (on stderr, so that `--plan --json` keeps stdout for
        # the plan). fd 9 is not inherited: MSBuild nodes or the compiler server that outlive the compile must
        # not hold the lock.
        local status=0 log="$TEMP_DIRECTORY/build.log"
        # A folder of the other kind of publish goes first: a composite's runtime files must not mix with a plain publish.
        local published=false
        [[ -f $BUILD_OUTPUT/_build.r2r.dll ]] && published=true
        if [[ -d $BUILD_OUTPUT && $published != "$COMPOSITE" ]]; then rm -rf "$BUILD_OUTPUT"; fi
        "$DOTNET" publish "$BUILD_PROJECT" -nologo -v q -c Release -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=$COMPOSITE \
            -o "$BUILD_OUTPUT" 9>&- >"$log" 2>&1 || status=$?
        if ((status != 0)); then
            cat "$log" >&2
            echo "build.sh: the build project does not compile (exit code $status); fix the errors above and run ./build.sh again." >&2
            exit "$status"
        fi
        # The list taken before compiling: a file edited during the compile leaves a mismatch, so the next
        # run compiles again.
        printf 'dotnet %s\n%s\n' "$DOTNET" "$current" >"$FINGERPRINT_FILE.$$"
        mv -f "$FINGERPRINT_FILE.$$" "$FINGERPRINT_FILE"
    fi

    if command -v flock >/dev/null 2>&1; then
        flock -u 9
    fi
    exec 9>&-
}

[[ -d $TEMP_DIRECTORY ]] || mkdir -p "$TEMP_DIRECTORY"
# Warm path without the lock: the fingerprint file is replaced atomically, and removed before any compile
# starts, so a matching file always describes a finished build.
if ! is_current "$(inputs)"; then
    compile
fi

if [[ $DOTNET == "$SDK_DIRECTORY/dotnet" ]]; then
    export DOTNET_ROOT="$SDK_DIRECTORY"
    export PATH="$SDK_DIRECTORY:$PATH"
fi
if [[ $COMPOSITE == true ]]; then
    exec "$BUILD_EXECUTABLE" "$@"
fi
exec "$DOTNET" "$BUILD_ASSEMBLY" "$@"
