using Bun.Delivery.Integrations.Docker;
using Bun.Pipeline;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Orchestration.Images;

/// <summary>
/// The BaseImage target (docs/images.md): a minimal Debian base for the service, made where no public registry can be
/// reached. debootstrap fetches a minbase root filesystem plus the runtime libraries a self-contained .NET app needs from
/// the mirror apt already uses; the tar is cached, so that later runs, and a wiped engine, only import it (seconds).
/// </summary>
/// <param name="systemFolders">Where debootstrap is looked for besides PATH: /usr/sbin and /sbin, which a user's PATH often lacks.</param>
public sealed class BaseImageMaker(BuildServices services, IReadOnlyList<string>? systemFolders = null)
{
    /// <summary>The base DockerImage falls back to, and the one BaseImage makes unless <c>--base-image</c> names another.</summary>
    public const string DefaultReference = "bun/base:bookworm";

    public const string Suite = "bookworm";

    /// <summary>What a self-contained .NET app needs that minbase lacks: certificates, ICU, OpenSSL (TLS to the database), time zones.</summary>
    public static readonly IReadOnlyList<string> RuntimePackages = ["ca-certificates", "libicu72", "libssl3", "tzdata"];

    /// <summary>Where the root filesystem tar is kept: <c>BUN_CACHE_DIR</c>, else /var/cache/bun for root, else ~/.cache/bun.</summary>
    public string CachePath
    {
        get
        {
            var variables = services.Environment.Variables;
            var folder = variables.GetValueOrDefault("BUN_CACHE_DIR") is { Length: > 0 } given ? given
                : Environment.IsPrivilegedProcess ? "/var/cache/bun"
                : Path.Combine(variables.GetValueOrDefault("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(variables.GetValueOrDefault("HOME") ?? "/tmp", ".cache"), "bun");
            return Path.Combine(folder, $"base-{Suite}.tar");
        }
    }

    /// <summary>Makes <paramref name="reference"/> in the engine unless it is there already, and says how DockerImage uses it.</summary>
    public async Task MakeAsync(string reference, CancellationToken cancellation)
    {
        if (Integrations.Registry.RegistryProbe.RegistryOf(reference) != "registry-1.docker.io" || reference.Contains('@'))
            throw BuildFailure.BadInput(
                $"BaseImage makes a local image, and '{reference}' (--base-image) names a registry's image or a digest. " +
                $"Name a local one, e.g. --base-image {DefaultReference}, or pull that image instead.");
        using var engine = await DockerEngine.ConnectAsync(services.Environment.Variables.GetValueOrDefault("DOCKER_HOST"), cancellation);
        if (await ImageImport.IdOfAsync(engine, reference, cancellation) is { } existing)
        {
            services.Output.Info($"{reference} is already in the engine at {engine.Endpoint} ({existing}): nothing to make.");
            Announce(reference);
            return;
        }

        var cache = CachePath;
        if (new FileInfo(cache) is { Exists: true, Length: > 0 })
            services.Output.Info($"Importing the cached root filesystem {cache} as {reference}");
        else
            await BootstrapAsync(cache, cancellation);
        var id = await ImageImport.ImportAsync(engine, cache, reference, cancellation);
        services.Output.Success($"Made {reference} ({id}) from {cache}.");
        Announce(reference);
    }

    private void Announce(string reference) =>
        services.Output.Info($"DockerImage builds on it with --base-image {reference}, or: export BUN_BASE_IMAGE={reference}");

    private async Task BootstrapAsync(string cache, CancellationToken cancellation)
    {
        var debootstrap = FindDebootstrap()
                          ?? throw BuildFailure.BadInput(
                              "BaseImage makes the base image with debootstrap, which is not installed. Install it with `sudo apt-get install debootstrap` " +
                              "(as root: apt-get install debootstrap), then run ./build.sh BaseImage again.");
        var asRoot = RootPrefix();
        var mirror = AptMirror.Find();
        var root = Directory.CreateTempSubdirectory("bun-base-rootfs-").FullName;
        Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
        var partial = cache + ".partial";
        try
        {
            services.Output.Info($"debootstrap {Suite} (minbase with {string.Join(", ", RuntimePackages)}) from {mirror}: about a minute, once; then cached in {cache}");
            await RunAsRootAsync(asRoot, debootstrap, ["--variant=minbase", $"--include={string.Join(',', RuntimePackages)}", Suite, root, mirror], cancellation);
            // Package files and lists are only needed to install, and would make every imported image larger.
            await RunAsRootAsync(asRoot, "sh",
                ["-c", "rm -rf \"$1\"/var/cache/apt/archives/*.deb \"$1\"/var/lib/apt/lists/* && tar -C \"$1\" -cf \"$2\" .", "sh", root, partial], cancellation);
            File.Move(partial, cache, overwrite: true);
        }
        finally
        {
            await RunAsRootAsync(asRoot, "rm", ["-rf", root, partial], CancellationToken.None);
        }
    }

    private string? FindDebootstrap() =>
        (services.Environment.Variables.GetValueOrDefault("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Concat(systemFolders ?? ["/usr/sbin", "/sbin"])
        .Select(folder => Path.Combine(folder, "debootstrap"))
        .FirstOrDefault(File.Exists);

    // debootstrap creates device nodes and root-owned files: as another user it runs through sudo, which may ask for a password.
    private string[] RootPrefix()
    {
        if (Environment.IsPrivilegedProcess)
            return [];
        if (!File.Exists("/usr/bin/sudo"))
            throw BuildFailure.BadInput("BaseImage runs debootstrap, which needs root, and this build runs as another user without sudo. Run ./build.sh BaseImage as root once.");
        services.Output.Info("debootstrap needs root: running it through sudo.");
        return ["sudo"];
    }

    private Task RunAsRootAsync(string[] asRoot, string program, IReadOnlyList<string> arguments, CancellationToken cancellation) => asRoot.Length == 0
        ? services.Processes.RunAsync(program, arguments, cancellation, echo: false)
        : services.Processes.RunAsync(asRoot[0], [program, .. arguments], cancellation, echo: false);
}
