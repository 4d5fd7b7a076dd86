namespace Bun.Testing;

/// <summary>This repository's checkout: the folder with Bun.sln above the test assembly's folder.</summary>
public static class RepositoryRoot
{
    public static string Folder { get; } = Find();

    /// <summary>A path inside the checkout, e.g. <c>PathOf("db", "migrations")</c>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Folder, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Bun.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No Bun.sln above {AppContext.BaseDirectory}.");
    }
}
