using System.Security.Cryptography;
using System.Text;
using Bun.Pipeline.Failures;
using Npgsql;

namespace Bun.Delivery.Integrations.Database;

/// <summary>
/// The seeded template a dummy database is cloned from: a database of its own on the same server, named after the dummy
/// database, holding exactly what a reset makes (the dummy marker, the migrations, the notes). Its own marker is in the
/// server's catalog, which a clone does not inherit: a comment that names its key, and the flags that make it a template
/// nobody can connect to. So it cannot change after it was sealed, and no migration can ever claim it as a real database.
/// </summary>
internal sealed class DummyTemplate(DatabaseTarget dummy, NpgsqlConnection maintenance, string key)
{
    private const string MarkerStart = "Bun dummy template of ";

    /// <summary>Bump when the rows DummyNotes writes for a seed change, so that older templates are rebuilt.</summary>
    private const int DataVersion = 1;

    public string Name { get; } = NameFor(dummy.Url.Database);

    private string Marker => $"{MarkerStart}{dummy.Url.Database} for {dummy.Environment}, key {key}";

    /// <summary><c>bun_dev_bun_template</c>; a name too long for PostgreSQL's 63 bytes keeps a hash of the whole.</summary>
    public static string NameFor(string database)
    {
        const string Suffix = "_bun_template";
        var name = database + Suffix;
        if (Encoding.UTF8.GetByteCount(name) <= 63)
            return name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(database)))[..8];
        var kept = database;
        while (Encoding.UTF8.GetByteCount(kept) > 63 - Suffix.Length - 9)
            kept = kept[..^1];
        return $"{kept}_{hash}{Suffix}";
    }

    /// <summary>What the template's data follows from: every migration's checksum, the environment of its marker, the seed, the rows.</summary>
    public static string KeyFor(MigrationScripts scripts, string environment, int rows, int seed)
    {
        var text = new StringBuilder($"data {DataVersion}\nenvironment {environment}\nrows {rows}\nseed {seed}\n");
        foreach (var script in scripts.All)
            text.Append($"migration {script.Name} {script.Checksum}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Null when the template is sealed with this key; otherwise why it must be built (and a stale one is dropped first).</summary>
    public async Task<string?> WhyBuildAsync(CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            "SELECT datistemplate AND NOT datallowconn, coalesce(shobj_description(oid, 'pg_database'), ''), datallowconn FROM pg_database WHERE datname = $1",
            maintenance) { Parameters = { new() { Value = Name } } };
        bool sealedFlags, connectable;
        string comment;
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
        {
            if (!await reader.ReadAsync(cancellation))
                return "there is none yet";
            (sealedFlags, comment, connectable) = (reader.GetBoolean(0), reader.GetString(1), reader.GetBoolean(2));
        }

        if (sealedFlags && comment == Marker)
            return null;
        var reason = comment.StartsWith(MarkerStart, StringComparison.Ordinal)
            ? $"it was built for another key ({Short(comment[(comment.LastIndexOf(' ') + 1)..])}, now {Short(key)}: a migration, the seed or the row count changed), so it is rebuilt"
            : await WhyUnmarkedMayGoAsync(connectable, cancellation);
        await DropAsync(cancellation);
        return reason;
    }

    /// <summary>Creates the template, claims, migrates and seeds it, then seals it: the marker comes last, so a build cut short is never used.</summary>
    public async Task<MigrationReport> BuildAsync(DatabaseMigrator migrator, int rows, int seed, CancellationToken cancellation)
    {
        await ExecuteAsync(cancellation, $"CREATE DATABASE {Quoted(Name)} TEMPLATE template0");
        var target = dummy with { Url = dummy.Url.ForDatabase(Name) };
        MigrationReport migration;
        await using (var connection = await DatabaseConnector.OpenAsync(target, cancellation))
        {
            await using (var transaction = await connection.BeginTransactionAsync(cancellation))
            {
                await DummyMarker.ClaimAsync(connection, transaction, dummy.Environment, cancellation);
                await transaction.CommitAsync(cancellation);
            }

            migration = await migrator.MigrateLockedAsync(connection, target, cancellation);
            await DummyNotes.SeedAsync(connection, rows, seed, cancellation);
        }

        await ExecuteAsync(cancellation,
            $"COMMENT ON DATABASE {Quoted(Name)} IS {Literal(Marker)}", $"ALTER DATABASE {Quoted(Name)} ALLOW_CONNECTIONS false", $"ALTER DATABASE {Quoted(Name)} IS_TEMPLATE true");
        return migration;
    }

    /// <summary>
    /// Ends every other session on the dummy database, closes its own and drops it; returns how many sessions were ended.
    /// It goes before a template is built: dropping a database makes PostgreSQL checkpoint, which costs little now and
    /// would have to write the whole freshly seeded template later.
    /// </summary>
    public async Task<long> DropDummyAsync(NpgsqlConnection dummySession, CancellationToken cancellation)
    {
        await using var end = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> $2 AND pg_has_role(usesysid, 'MEMBER')",
            maintenance) { Parameters = { new() { Value = dummy.Url.Database }, new() { Value = dummySession.ProcessID } } };
        var ended = (long)(await end.ExecuteScalarAsync(cancellation))!;
        await dummySession.CloseAsync();
        NpgsqlConnection.ClearPool(dummySession);
        // FORCE also ends a session that connected in the moment since.
        await ExecuteAsync(cancellation, $"DROP DATABASE {Quoted(dummy.Url.Database)} WITH (FORCE)");
        return ended;
    }

    /// <summary>Creates the dummy database as a clone of the sealed template: all or nothing.</summary>
    /// <param name="justBuilt">The template's pages are still dirty: copy them through the WAL rather than checkpoint them first.</param>
    public Task CloneAsync(bool justBuilt, CancellationToken cancellation) =>
        ExecuteAsync(cancellation, $"CREATE DATABASE {Quoted(dummy.Url.Database)} TEMPLATE {Quoted(Name)} STRATEGY {(justBuilt ? "WAL_LOG" : "FILE_COPY")}");

    /// <summary>After a failed build: an empty, unmarked database under the dummy's name, which the next reset claims.</summary>
    public Task CreateEmptyDummyAsync(CancellationToken cancellation) => ExecuteAsync(cancellation, $"CREATE DATABASE {Quoted(dummy.Url.Database)}");

    // A database under the template's name that Bun did not seal may be a build cut short or a copy made by hand (it
    // carries the dummy marker), or empty: those go. Anything else may hold real data and is never dropped.
    private async Task<string> WhyUnmarkedMayGoAsync(bool connectable, CancellationToken cancellation)
    {
        // A template nobody may connect to is opened just long enough to look inside, and closed again if it stays.
        if (!connectable)
            await ExecuteAsync(cancellation, $"ALTER DATABASE {Quoted(Name)} ALLOW_CONNECTIONS true");
        var (count, examples) = await LookInsideAsync(cancellation);
        if (count is null)
            return "it carries no template marker (a build that stopped halfway, or a copy made by hand), so it is rebuilt";
        if (count == 0)
            return "it carries no template marker and is empty, so it is rebuilt";
        if (!connectable)
            await ExecuteAsync(cancellation, $"ALTER DATABASE {Quoted(Name)} ALLOW_CONNECTIONS false");
        throw new BuildFailure(
            $"ResetDummyDatabase refuses to replace the database {Name} on {dummy.Url.Host}:{dummy.Url.Port}, which has the name of the {dummy.Environment} dummy database's template: "
            + $"it carries no template marker, no dummy marker, and it is not empty ({count} objects, e.g. {string.Join(", ", examples)}), so it may hold real data. "
            + "Rename or drop it by hand, then run again. Nothing was changed.");
    }

    // Null objects: it carries the dummy marker.
    private async Task<(long? Count, IReadOnlyList<string> Examples)> LookInsideAsync(CancellationToken cancellation)
    {
        await using var connection = await DatabaseConnector.OpenAsync(dummy with { Url = dummy.Url.ForDatabase(Name) }, cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        if (await DummyMarker.ReadAsync(connection, transaction, cancellation) is not null)
            return (null, []);
        return await DummyMarker.FindObjectsAsync(connection, transaction, cancellation);
    }

    private Task DropAsync(CancellationToken cancellation) =>
        ExecuteAsync(cancellation, $"ALTER DATABASE {Quoted(Name)} IS_TEMPLATE false", $"DROP DATABASE {Quoted(Name)} WITH (FORCE)");

    // One command each: CREATE and DROP DATABASE refuse to run in a transaction, which a batch would be.
    private async Task ExecuteAsync(CancellationToken cancellation, params string[] statements)
    {
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, maintenance);
            await command.ExecuteNonQueryAsync(cancellation);
        }
    }

    private static string Short(string key) => key.Length > 12 ? key[..12] + "…" : key;

    private static string Quoted(string name) => $"\"{name.Replace("\"", "\"\"")}\"";

    private static string Literal(string text) => $"'{text.Replace("'", "''")}'";
}
