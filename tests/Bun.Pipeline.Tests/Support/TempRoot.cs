namespace Bun.Pipeline.Tests.Support;

/// <summary>A throwaway repository root: a temp folder with a <c>.nuke/</c> folder, deleted afterwards.</summary>
internal sealed class TempRoot : IDisposable
{
    public TempRoot()
    {
        Path = Directory.CreateTempSubdirectory("bun-pipeline-tests-").FullName;
        Directory.CreateDirectory(Nuke);
    }

    public string Path { get; }
    public string Nuke => System.IO.Path.Combine(Path, ".nuke");

    public string WriteNuke(string fileName, string content)
    {
        var file = System.IO.Path.Combine(Nuke, fileName);
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
