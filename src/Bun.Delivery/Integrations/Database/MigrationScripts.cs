using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Integrations.Database;

/// <summary>One versioned migration: its file name (which orders it), its SQL, and the checksum the journal keeps.</summary>
public sealed record MigrationScript(string Name, string Sql)
{
    /// <summary>SHA-256 of the text with line endings normalised, so a checkout with CRLF is not mistaken for an edit.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
}

/// <summary>The forward-only migrations of <c>db/migrations</c>, in the order they apply: by their number.</summary>
public sealed partial class MigrationScripts(IReadOnlyList<MigrationScript> scripts)
{
    public IReadOnlyList<MigrationScript> All => scripts;

    public static MigrationScripts Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw BuildFailure.BadInput($"There is no migrations folder {directory}; create it with a first script such as 0001_create_notes.sql.");

        var files = Directory.GetFiles(directory, "*.sql").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var misnamed = files.FirstOrDefault(name => !VersionedName().IsMatch(name));
        if (misnamed is not null)
            throw BuildFailure.BadInput(
                $"Migration {misnamed} is not named NNNN_description.sql (e.g. 0002_add_note_tags.sql); migrations apply in the order of their number, so every file needs one.");
        var shared = files.GroupBy(name => name[..4]).FirstOrDefault(group => group.Count() > 1);
        if (shared is not null)
            throw BuildFailure.BadInput($"Migrations {string.Join(" and ", shared)} share the number {shared.Key}; give the newer one the next free number.");

        return new MigrationScripts(files.Select(name => new MigrationScript(name, File.ReadAllText(Path.Combine(directory, name)))).ToList());
    }

    [GeneratedRegex("^[0-9]{4}_[a-z0-9_]+\\.sql$")]
    private static partial Regex VersionedName();
}
