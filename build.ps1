# Bootstrap for Bun's build: ./build.ps1 [targets…] [--parameter value…]
#
# The same logic as build.sh (read that file's header for the reasoning):
#  - warm start: list the build project's inputs (every file under build/ and src/ without bin/ and obj/, plus
#    global.json, NuGet.config and the Directory.* files; not .nuke/), compare the list with the one saved after the
#    last successful compile, and run the compiled build directly;
#  - cold start: under .nuke/temp/build.lock, pick an SDK that satisfies global.json (installing it into
#    .nuke/temp/dotnet-sdk with dotnet-install.ps1 if need be), compile build/_build.csproj, save the list, run.
# The list holds path, size and last-write time (100 ns ticks); FileInfo has no ctime, unlike build.sh's list.
# The two scripts share .nuke/temp/build.fingerprint; their lists never look alike, so switching between them only
# recompiles. The build runs in the repository root (see build.sh); the caller's location is restored afterwards.
# Works in Windows PowerShell 5.1 and PowerShell 7.

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$TempDirectory = Join-Path $Root '.nuke/temp'
$FingerprintFile = Join-Path $TempDirectory 'build.fingerprint'
$LockFile = Join-Path $TempDirectory 'build.lock'
$BuildProject = Join-Path $Root 'build/_build.csproj'
# The build runs from its own output folder, which no solution build writes to (see build.sh).
$BuildOutput = Join-Path $Root '.nuke/temp/build-bin'
$BuildAssembly = Join-Path $BuildOutput '_build.dll'
$SdkDirectory = Join-Path $TempDirectory 'dotnet-sdk'
$OnWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
$LocalDotnet = Join-Path $SdkDirectory $(if ($OnWindows) { 'dotnet.exe' } else { 'dotnet' })
$DotnetInstallUrl = 'https://dot.net/v1/dotnet-install.ps1'
$RootInputs = @('build.ps1', 'global.json', 'NuGet.config', 'nuget.config', 'Directory.Build.props', 'Directory.Build.targets',
    'Directory.Packages.props', 'Directory.Build.rsp')

$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

# The build project's inputs, one "path size ticks" line each, ordinally sorted, joined by newlines.
function Get-BuildInputs {
    $lines = New-Object 'System.Collections.Generic.List[string]'
    $pending = New-Object 'System.Collections.Generic.Stack[string]'
    foreach ($name in @('src', 'build')) {
        if (Test-Path -LiteralPath (Join-Path $Root $name) -PathType Container) { $pending.Push($name) }
    }
    $seen = New-Object 'System.Collections.Generic.HashSet[string]' ([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($name in $RootInputs) {
        $file = Get-Item -LiteralPath (Join-Path $Root $name) -Force -ErrorAction SilentlyContinue
        # NuGet.config and nuget.config are one file on a case-insensitive file system.
        if ($null -ne $file -and -not $file.PSIsContainer -and $seen.Add($file.Name)) {
            $lines.Add("$name $($file.Length) $($file.LastWriteTimeUtc.Ticks)")
        }
    }
    while ($pending.Count -gt 0) {
        $directory = $pending.Pop()
        # A file that vanishes mid-scan only makes the list differ, which errs towards compiling.
        foreach ($item in Get-ChildItem -LiteralPath (Join-Path $Root $directory) -Force -ErrorAction SilentlyContinue) {
            $relative = "$directory/$($item.Name)"
            if ($item.PSIsContainer) {
                if ($item.Name -ne 'bin' -and $item.Name -ne 'obj') { $pending.Push($relative) }
            }
            else {
                $lines.Add("$relative $($item.Length) $($item.LastWriteTimeUtc.Ticks)")
            }
        }
    }
    $sorted = $lines.ToArray()
    [System.Array]::Sort($sorted, [System.StringComparer]::Ordinal)
    return [string]::Join("`n", $sorted)
}

# The saved SDK path when the saved inputs equal $Inputs and the build assembly exists; $null otherwise.
# The fingerprint file is "dotnet <path>" and then the input list.
function Get-CurrentDotnet([string]$Inputs) {
    if (-not (Test-Path -LiteralPath $FingerprintFile -PathType Leaf) -or -not (Test-Path -LiteralPath $BuildAssembly -PathType Leaf)) {
        return $null
    }
    try { $saved = [System.IO.File]::ReadAllText($FingerprintFile) } catch [System.IO.IOException] { return $null }
    $newline = $saved.IndexOf("`n")
    if ($newline -lt 0 -or $saved.Substring($newline + 1) -cne $Inputs -or -not $saved.StartsWith('dotnet ', [System.StringComparison]::Ordinal)) {
        return $null
    }
    $dotnet = $saved.Substring('dotnet '.Length, $newline - 'dotnet '.Length)
    if (Test-Path -LiteralPath $dotnet -PathType Leaf) { return $dotnet }
    return $null
}

# `dotnet --version` run in the repository root fails when no installed SDK satisfies global.json.
function Test-Sdk([string]$Dotnet) {
    $ErrorActionPreference = 'Continue'
    try {
        & $Dotnet --version 2>&1 | Out-Null
        return $LASTEXITCODE -eq 0
    }
    catch {
        return $false
    }
}

# An SDK that satisfies global.json: the installed one, or one installed into .nuke/temp/dotnet-sdk.
function Select-Sdk {
    $installed = Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -ne $installed -and (Test-Sdk $installed.Path)) { return $installed.Path }
    if ((Test-Path -LiteralPath $LocalDotnet -PathType Leaf) -and (Test-Sdk $LocalDotnet)) { return $LocalDotnet }

    $version = $null
    $globalFile = Join-Path $Root 'global.json'
    if (Test-Path -LiteralPath $globalFile) {
        $global = Get-Content -LiteralPath $globalFile -Raw | ConvertFrom-Json
        if ($global.PSObject.Properties['sdk'] -and $global.sdk.PSObject.Properties['version']) { $version = $global.sdk.version }
    }
    $target = if ($version) { $version } else { 'the current STS SDK' }
    [Console]::Error.WriteLine("build.ps1: no installed .NET SDK satisfies global.json; installing $target into .nuke/temp/dotnet-sdk")

    $installer = Join-Path $TempDirectory 'dotnet-install.ps1'
    [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor [System.Net.SecurityProtocolType]::Tls12
    (New-Object System.Net.WebClient).DownloadFile($DotnetInstallUrl, $installer)
    # The installer's progress goes to stderr, so that `--plan --json` keeps stdout for the plan.
    if ($version) {
        & $installer -InstallDir $SdkDirectory -Version $version -NoPath *>&1 | ForEach-Object { [Console]::Error.WriteLine($_) }
    }
    else {
        & $installer -InstallDir $SdkDirectory -Channel STS -NoPath *>&1 | ForEach-Object { [Console]::Error.WriteLine($_) }
    }
    return $LocalDotnet
}

# Waits for the lock: a file opened with FileShare.None (on Linux and macOS .NET takes it with flock, so it also
# excludes build.sh).
function Enter-BuildLock {
    while ($true) {
        try {
            return [System.IO.File]::Open($LockFile, [System.IO.FileMode]::OpenOrCreate, [System.IO.FileAccess]::ReadWrite, [System.IO.FileShare]::None)
        }
        catch [System.IO.IOException] {
            Start-Sleep -Milliseconds 200
        }
    }
}

# Compiles the build project unless another invocation did it while this one waited for the lock. Returns the SDK.
function Invoke-Compile {
    $lock = Enter-BuildLock
    try {
        $inputs = Get-BuildInputs
        $dotnet = Get-CurrentDotnet $inputs
        if ($null -ne $dotnet) { return $dotnet }

        $dotnet = Select-Sdk
        if (Test-Path -LiteralPath $FingerprintFile) { Remove-Item -LiteralPath $FingerprintFile -Force }
        [Console]::Error.WriteLine('build.ps1: compiling the build project (build/ or src/ changed since it was last compiled)')
        # MSBuild writes to a log file only, shown when the compile fails; the console stays clean for the plan.
        $log = Join-Path $TempDirectory 'build.log'
        # Anything the CLI still prints goes to stderr: this function's output is its return value.
        & $dotnet build $BuildProject -nologo -c Release -o $BuildOutput -noConsoleLogger -fileLogger "-fileLoggerParameters:LogFile=$log;Verbosity=quiet" |
            ForEach-Object { [Console]::Error.WriteLine($_) }
        $status = $LASTEXITCODE
        if ($status -ne 0) {
            if (Test-Path -LiteralPath $log) { [Console]::Error.WriteLine([System.IO.File]::ReadAllText($log)) }
            [Console]::Error.WriteLine("build.ps1: the build project does not compile (exit code $status); fix the errors above and run ./build.ps1 again.")
            exit $status
        }
        # The list taken before compiling: a file edited during the compile leaves a mismatch, so the next run
        # compiles again. The file was removed above and only lock holders write it, so Move cannot collide.
        $temporary = "$FingerprintFile.$PID"
        [System.IO.File]::WriteAllText($temporary, "dotnet $dotnet`n$inputs")
        [System.IO.File]::Move($temporary, $FingerprintFile)
        return $dotnet
    }
    finally {
        $lock.Dispose()
    }
}

# Native commands start in the current location: `dotnet --version` must see this global.json.
Push-Location -LiteralPath $Root
try {
    New-Item -ItemType Directory -Path $TempDirectory -Force | Out-Null
    # Warm path without the lock: the fingerprint file is written whole and removed before any compile starts, so a
    # matching file always describes a finished compile.
    $Dotnet = Get-CurrentDotnet (Get-BuildInputs)
    if ($null -eq $Dotnet) { $Dotnet = Invoke-Compile }

    if ($Dotnet -eq $LocalDotnet) {
        $env:DOTNET_ROOT = $SdkDirectory
        $env:PATH = "$SdkDirectory$([System.IO.Path]::PathSeparator)$env:PATH"
    }
    & $Dotnet $BuildAssembly @args
    $ExitCode = $LASTEXITCODE
}
finally {
    Pop-Location
}
exit $ExitCode
