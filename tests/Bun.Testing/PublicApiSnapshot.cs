using System.Reflection;

namespace Bun.Testing;

/// <summary>
/// A package's public surface as a committed list of its exported types, one full name a line, sorted. The API grows
/// only on purpose: a change fails until the list is regenerated (<c>BUN_UPDATE_SNAPSHOTS=1</c>) and committed.
/// </summary>
public static class PublicApiSnapshot
{
    public const string UpdateVariable = "BUN_UPDATE_SNAPSHOTS";

    public static string Of(Assembly assembly) =>
        string.Join('\n', assembly.GetExportedTypes().Select(type => type.FullName!.Replace('+', '.')).Order(StringComparer.Ordinal)) + "\n";

    /// <summary>The committed list and the assembly's own, or the assembly's twice after rewriting the file when asked to.</summary>
    public static (string Committed, string Actual) Compare(Assembly assembly, string snapshotFile)
    {
        var actual = Of(assembly);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(snapshotFile)!);
            File.WriteAllText(snapshotFile, actual);
        }
        return (File.Exists(snapshotFile) ? File.ReadAllText(snapshotFile).ReplaceLineEndings("\n") : "", actual);
    }

    public static string HowToUpdate(string snapshotFile) =>
        $"the public types changed; if that is on purpose, run the test with {UpdateVariable}=1 and commit {Path.GetRelativePath(RepositoryRoot.Folder, snapshotFile)}";
}
