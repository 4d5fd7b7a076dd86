using System.Formats.Tar;
using Bun.Delivery.Integrations.Docker;

namespace Bun.Delivery.Tests.Integrations.Docker;

public sealed class LayerTarTests : IDisposable
{
    private readonly TempFolder _first = new();
    private readonly TempFolder _second = new();

    [Fact]
    public async Task Equal_files_give_byte_identical_layers_whatever_their_times_and_the_order_they_are_listed_in()
    {
        Write(_first.Path, "App.dll", "the app", DateTime.UtcNow);
        Write(_first.Path, "de/App.resources.dll", "Hallo", DateTime.UtcNow);
        Write(_first.Path, "App", "#!/bin/sh", DateTime.UtcNow, executable: true);
        Write(_second.Path, "App", "#!/bin/sh", new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc), executable: true);
        Write(_second.Path, "de/App.resources.dll", "Hallo", new DateTime(2011, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Write(_second.Path, "App.dll", "the app", new DateTime(1999, 9, 9, 9, 9, 9, DateTimeKind.Utc));

        var first = await LayerAsync(_first.Path, ["App.dll", "de/App.resources.dll", "App"]);
        var second = await LayerAsync(_second.Path, ["de/App.resources.dll", "App", "App.dll"]);

        second.ShouldBe(first);
        var entries = await EntriesAsync(first);
        entries.Select(entry => entry.Name).ShouldBe(["app/", "app/App", "app/App.dll", "app/de/", "app/de/App.resources.dll"]);
        entries.ShouldAllBe(entry => entry.ModificationTime == LayerTar.Timestamp && entry.Uid == 0 && entry.Gid == 0);
        entries.Single(entry => entry.Name == "app/App").Mode.ShouldBe((UnixFileMode)0b111_101_101);
        entries.Single(entry => entry.Name == "app/App.dll").Mode.ShouldBe((UnixFileMode)0b110_100_100);
    }

    [Fact]
    public async Task A_changed_byte_changes_the_layer()
    {
        Write(_first.Path, "App.dll", "the app", DateTime.UtcNow);
        Write(_second.Path, "App.dll", "the apq", DateTime.UtcNow);

        (await LayerAsync(_second.Path, ["App.dll"])).ShouldNotBe(await LayerAsync(_first.Path, ["App.dll"]));
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    private static async Task<byte[]> LayerAsync(string folder, string[] files)
    {
        using var layer = new MemoryStream();
        await LayerTar.WriteAsync(layer, folder, "app", new ImageLayer("the app", files), CancellationToken.None);
        return layer.ToArray();
    }

    private static async Task<List<TarEntry>> EntriesAsync(byte[] layer)
    {
        var entries = new List<TarEntry>();
        await using var reader = new TarReader(new MemoryStream(layer));
        while (await reader.GetNextEntryAsync() is { } entry)
            entries.Add(entry);
        return entries;
    }

    private static void Write(string folder, string relativePath, string content, DateTime modified, bool executable = false)
    {
        var path = Path.Combine(folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, modified);
        if (executable && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
    }
}
