namespace Bun.Delivery.Tests.Support;

/// <summary>A throwaway repository root: a temp folder with the <c>.nuke/</c> folder the engine looks for, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("bun-delivery-tests-").FullName;

    public TempFolder() => Directory.CreateDirectory(System.IO.Path.Combine(Path, ".nuke"));

    public string Write(string fileName, string content)
    {
        var file = System.IO.Path.Combine(Path, fileName);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
