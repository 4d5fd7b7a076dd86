using System.Formats.Tar;
using System.IO.Pipelines;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Integrations.Docker;

/// <summary>
/// The tar the engine builds from: the context folder less what <c>.dockerignore</c> excludes, with the Dockerfile
/// always included. Like the Docker CLI, it reads <c>&lt;Dockerfile&gt;.dockerignore</c> first, then the context's
/// <c>.dockerignore</c>; a Dockerfile outside the context is added under <see cref="OutsideDockerfileName"/> and kept
/// out of <c>COPY . .</c> by a generated <c>.dockerignore</c>. Owners are root, as the CLI sends them.
/// </summary>
public sealed class BuildContext : IAsyncDisposable
{
    public const string OutsideDockerfileName = ".dockerfile.bun";
    private const string IgnoreFileName = ".dockerignore";

    // Large segments and a few MB in flight: the engine reads in big chunks and the writer rarely waits.
    private static readonly PipeOptions TarPipe = new(pauseWriterThreshold: 8 << 20, resumeWriterThreshold: 4 << 20, minimumSegmentSize: 1 << 16);

    private readonly Pipe _pipe;
    private readonly CancellationTokenSource _stop;

    private BuildContext(Pipe pipe, CancellationTokenSource stop, string dockerfileInContext, Task<int> writing)
    {
        _pipe = pipe;
        _stop = stop;
        DockerfileInContext = dockerfileInContext;
        Written = writing;
        Tar = pipe.Reader.AsStream();
    }

    /// <summary>
    /// The tar as it is written: streamed through a pipe, so the engine receives the first files while later ones are
    /// still read from disk, as the Docker CLI does.
    /// </summary>
    public Stream Tar { get; }

    /// <summary>The Dockerfile's path inside the tar, as the build API's <c>dockerfile</c> parameter wants it.</summary>
    public string DockerfileInContext { get; }

    /// <summary>Completes with the number of entries once the whole tar is written; faults if writing failed.</summary>
    public Task<int> Written { get; }

    public static async Task<BuildContext> CreateAsync(string contextDirectory, string dockerfile, CancellationToken cancellation)
    {
        var root = Path.GetFullPath(contextDirectory);
        var dockerfilePath = Path.GetFullPath(dockerfile, root);
        if (!Directory.Exists(root))
            throw BuildFailure.BadInput($"The build context '{root}' does not exist. Run the step that produces it first (e.g. the publish).");
        if (!File.Exists(dockerfilePath))
            throw BuildFailure.BadInput($"The Dockerfile '{dockerfilePath}' does not exist.");

        var ignore = await ReadIgnoreAsync(root, dockerfilePath, cancellation);
        var relativeDockerfile = Path.GetRelativePath(root, dockerfilePath).Replace('\\', '/');
        var inside = !relativeDockerfile.StartsWith("../", StringComparison.Ordinal) && !Path.IsPathRooted(relativeDockerfile);

        var pipe = new Pipe(TarPipe);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var writing = Task.Run(() => WriteAsync(pipe.Writer, root, dockerfilePath, inside ? relativeDockerfile : null, ignore, stop.Token), stop.Token);
        return new BuildContext(pipe, stop, inside ? relativeDockerfile : OutsideDockerfileName, writing);
    }

    /// <summary>Stops the writer if the reader gave up early (a failed build), and waits for it to let go of the files.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pipe.Reader.CompleteAsync();
        // A writer's own failure reaches the build through Written; here it only has to be over.
        await Written.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _stop.Dispose();
    }

    private static async Task<int> WriteAsync(
        PipeWriter pipe, string root, string dockerfilePath, string? insideDockerfile, DockerIgnore ignore, CancellationToken cancellation)
    {
        try
        {
            var count = 0;
            await using (var writer = new TarWriter(pipe.AsStream(leaveOpen: true), TarEntryFormat.Pax, leaveOpen: false))
            {
                count += await AddFolderAsync(writer, root, "", ignore, insideDockerfile, cancellation);
                if (insideDockerfile is null)
                {
                    await AddFileAsync(writer, dockerfilePath, OutsideDockerfileName, cancellation);
                    await AddTextAsync(writer, IgnoreFileName, $"{IgnoreFileName}\n{OutsideDockerfileName}\n", cancellation);
                    count += 2;
                }
            }

            await pipe.CompleteAsync();
            return count;
        }
        catch (Exception exception)
        {
            await pipe.CompleteAsync(exception);
            throw;
        }
    }

    private static async Task<DockerIgnore> ReadIgnoreAsync(string root, string dockerfilePath, CancellationToken cancellation)
    {
        foreach (var candidate in new[] { dockerfilePath + IgnoreFileName, Path.Combine(root, IgnoreFileName) })
        {
            if (File.Exists(candidate))
                return DockerIgnore.Parse(await File.ReadAllTextAsync(candidate, cancellation));
        }

        return DockerIgnore.None;
    }

    private static async Task<int> AddFolderAsync(
        TarWriter writer, string folder, string prefix, DockerIgnore ignore, string? dockerfile, CancellationToken cancellation)
    {
        var count = 0;
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(entry => entry.Name, StringComparer.Ordinal))
        {
            var name = prefix + entry.Name;
            var excluded = ignore.Excludes(name) && name != dockerfile;
            var isFolder = entry is DirectoryInfo && entry.LinkTarget is null;
            // An excluded folder is still walked when a '!' rule or the Dockerfile may bring something inside back.
            if (excluded && (!isFolder || !(ignore.HasReincludes || dockerfile?.StartsWith(name + "/", StringComparison.Ordinal) == true)))
                continue;

            if (isFolder)
            {
                if (!excluded)
                    await writer.WriteEntryAsync(Entry(TarEntryType.Directory, name + "/", entry), cancellation);
                count += await AddFolderAsync(writer, entry.FullName, name + "/", ignore, dockerfile, cancellation) + (excluded ? 0 : 1);
            }
            else if (entry.LinkTarget is { } target)
            {
                await writer.WriteEntryAsync(Entry(TarEntryType.SymbolicLink, name, entry, target), cancellation);
                count++;
            }
            else
            {
                await AddFileAsync(writer, entry.FullName, name, cancellation);
                count++;
            }
        }

        return count;
    }

    private static async Task AddFileAsync(TarWriter writer, string path, string name, CancellationToken cancellation)
    {
        await using var data = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        var entry = Entry(TarEntryType.RegularFile, name, new FileInfo(path));
        entry.DataStream = data;
        await writer.WriteEntryAsync(entry, cancellation);
    }

    private static async Task AddTextAsync(TarWriter writer, string name, string text, CancellationToken cancellation)
    {
        using var data = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            DataStream = data,
        };
        await writer.WriteEntryAsync(entry, cancellation);
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, FileSystemInfo source, string? linkTarget = null)
    {
        var entry = new PaxTarEntry(type, name)
        {
            Mode = OperatingSystem.IsWindows() ? DefaultMode(type) : source.UnixFileMode,
            ModificationTime = source.LastWriteTimeUtc,
            Uid = 0,
            Gid = 0,
        };
        if (linkTarget is not null)
            entry.LinkName = linkTarget;
        return entry;
    }

    private static UnixFileMode DefaultMode(TarEntryType type) => type == TarEntryType.Directory
        ? (UnixFileMode)0b111_101_101
        : (UnixFileMode)0b110_100_100;
}
