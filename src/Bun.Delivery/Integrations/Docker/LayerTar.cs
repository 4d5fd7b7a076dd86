using System.Formats.Tar;

namespace Bun.Delivery.Integrations.Docker;

/// <summary>
/// Writes an image layer as a tar that depends only on the files' paths, bytes and executable bit: entries sorted by
/// path, each folder before its first entry, one fixed time (<see cref="Timestamp"/>), owner 0:0 without names, mode
/// 0755 for folders and executables and 0644 for the rest, in ustar format (no extended headers that could carry a
/// time). Equal files therefore give a byte-identical layer, with the same diff id, on any machine.
/// </summary>
public static class LayerTar
{
    /// <summary>
    /// One second past the epoch, as jib writes. A constant, never the commit's time: the runtime layer of two commits
    /// must stay the same bytes for registries to share it.
    /// </summary>
    public static readonly DateTimeOffset Timestamp = DateTimeOffset.UnixEpoch.AddSeconds(1);

    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
    private const UnixFileMode Readable = (UnixFileMode)0b110_100_100;
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <param name="targetFolder">Where the files go in the image, without a leading '/', e.g. <c>app</c>.</param>
    public static async Task WriteAsync(Stream destination, string sourceDirectory, string targetFolder, ImageLayer layer, CancellationToken cancellation)
    {
        var root = targetFolder.Trim('/');
        var written = new HashSet<string>(StringComparer.Ordinal);
        await using var writer = new TarWriter(destination, TarEntryFormat.Ustar, leaveOpen: true);
        foreach (var file in layer.Files.Select(file => file.Replace('\\', '/')).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var name = root.Length == 0 ? file : $"{root}/{file}";
            await WriteFoldersAsync(writer, name, written, cancellation);
            var path = Path.Combine(sourceDirectory, file);
            await using var data = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var entry = Entry(TarEntryType.RegularFile, name, IsExecutable(path) ? Executable : Readable);
            entry.DataStream = data;
            await writer.WriteEntryAsync(entry, cancellation);
        }
    }

    private static async Task WriteFoldersAsync(TarWriter writer, string name, HashSet<string> written, CancellationToken cancellation)
    {
        for (var slash = name.IndexOf('/'); slash >= 0; slash = name.IndexOf('/', slash + 1))
        {
            var folder = name[..(slash + 1)];
            if (written.Add(folder))
                await writer.WriteEntryAsync(Entry(TarEntryType.Directory, folder, Executable), cancellation);
        }
    }

    private static UstarTarEntry Entry(TarEntryType type, string name, UnixFileMode mode) => new(type, name)
    {
        Mode = mode,
        ModificationTime = Timestamp,
        Uid = 0,
        Gid = 0,
        UserName = "",
        GroupName = "",
    };

    // Windows has no executable bit to read; there, only folders are 0755.
    private static bool IsExecutable(string path) => !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & AnyExecute) != 0;
}
