namespace Bun.Delivery.Tests.Support;

/// <summary>This repository's checkout, found from the test assembly's folder.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Bun.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No Bun.sln above {AppContext.BaseDirectory}.");
    }
}
