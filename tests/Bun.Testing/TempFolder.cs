namespace Bun.Testing;

/// <summary>A throwaway repository root: a temp folder with the <c>.nuke/</c> folder the engine looks for, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    /// <param name="prefix">Starts the folder's name in the system's temp folder.</param>
    public TempFolder(string prefix = "bun-tests-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
        Directory.CreateDirectory(Nuke);
    }

    public string Path { get; }
    public string Nuke => System.IO.Path.Combine(Path, ".nuke");

    /// <summary>Writes a file at the root of the folder; returns its path.</summary>
    public string Write(string fileName, string content) => WriteFile(System.IO.Path.Combine(Path, fileName), content);

    /// <summary>Writes a file into <c>.nuke/</c>; returns its path.</summary>
    public string WriteNuke(string fileName, string content) => WriteFile(System.IO.Path.Combine(Nuke, fileName), content);

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

    private static string WriteFile(string file, string content)
    {
        File.WriteAllText(file, content);
        return file;
    }
}
