using System.Security.Cryptography;
using System.Text;
using Bun.Pipeline.Failures;
using Npgsql;

namespace Bun.Delivery.Integrations.Database;

/// <summary>
/// The databases a reset keeps beside a dummy database on its server, all named after it: the sealed template, a
/// ready clone of it (the spare), the next dummy database while it is seeded, and the old one while it is dropped.
/// Every change goes through the maintenance session (on <see cref="DummyDatabaseReset.MaintenanceDatabase"/>):
/// a database cannot be created, renamed or dropped from a session on itself.
/// </summary>
internal sealed class DummyDatabases(DatabaseTarget dummy, NpgsqlConnection maintenance)
{
    public NpgsqlConnection Maintenance => maintenance;

    public DatabaseTarget Dummy => dummy;

    public string Template => NameFor(dummy.Url.Database, "_bun_template");

    public string Spare => NameFor(dummy.Url.Database, "_bun_spare");

    public string Next => NameFor(dummy.Url.Database, "_bun_next");

    public string Old => NameFor(dummy.Url.Database, "_bun_old");

    /// <summary><c>bun_dev</c> + <c>_bun_template</c>; a name too long for PostgreSQL's 63 bytes keeps a hash of the whole.</summary>
    public static string NameFor(string database, string suffix)
    {
        var name = database + suffix;
        if (Encoding.UTF8.GetByteCount(name) <= 63)
            return name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(database)))[..8];
        var kept = database;
        while (Encoding.UTF8.GetByteCount(kept) > 63 - suffix.Length - 9)
            kept = kept[..^1];
        return $"{kept}_{hash}{suffix}";
    }

    public DatabaseTarget On(string database) => dummy with { Url = dummy.Url.ForDatabase(database) };

    /// <summary>Creates <paramref name="name"/> empty, then claims, migrates and seeds it, as a reset leaves a dummy database.</summary>
    public async Task<MigrationReport> SeedFreshAsync(string name, DatabaseMigrator migrator, int rows, int seed, CancellationToken cancellation)
    {
        var pools = DummyNotes.PoolsAsync(seed);
        await ExecuteAsync(cancellation, $"CREATE DATABASE {Quoted(name)} TEMPLATE template0");
        var target = On(name);
        await using var connection = await DatabaseConnector.OpenAsync(target, cancellation);
        await using (var transaction = await connection.BeginTransactionAsync(cancellation))
        {
            await DummyMarker.ClaimAsync(connection, transaction, dummy.Environment, cancellation);
            await transaction.CommitAsync(cancellation);
        }

        var migration = await migrator.MigrateLockedAsync(connection, target, cancellation);
        await DummyNotes.SeedAsync(connection, rows, pools, cancellation);
        return migration;
    }

    /// <summary>
    /// Puts <paramref name="replacement"/> in the dummy database's place in one transaction, so the name always holds
    /// a whole database: ends the other sessions on the dummy database, closes <paramref name="dummySession"/>, renames
    /// the dummy database to <see cref="Old"/> and the replacement to the dummy's name. Returns how many sessions were ended.
    /// </summary>
    public async Task<long> SwapInAsync(string replacement, NpgsqlConnection dummySession, CancellationToken cancellation)
    {
        var ended = await EndSessionsAsync(maintenance, null, dummy.Url.Database, dummySession.ProcessID, cancellation);
        await dummySession.CloseAsync();
        dummy.Url.ClosePooledSessions();
        try
        {
            await RenameAsync(replacement, cancellation);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // The old one of an earlier reset, whose drop the server did not finish.
            await DropLeftoverAsync(Old, cancellation);
            await RenameAsync(replacement, cancellation);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.ObjectInUse)
        {
            // Someone connected in the moment since: end them too (the rename waits up to 5 s for sessions to go).
            ended += await EndSessionsAsync(maintenance, null, dummy.Url.Database, 0, cancellation);
            await RenameAsync(replacement, cancellation);
        }

        return ended;
    }

    /// <summary>
    /// Drops a database left under one of these names, unless it may hold real data: it goes when it carries the dummy
    /// marker or holds nothing; anything else is refused and left alone.
    /// </summary>
    public async Task<Leftover> DropLeftoverAsync(string name, CancellationToken cancellation)
    {
        bool? connectable;
        await using (var look = new NpgsqlCommand("SELECT datallowconn FROM pg_database WHERE datname = $1", maintenance) { Parameters = { new() { Value = name } } })
            connectable = await look.ExecuteScalarAsync(cancellation) as bool?;
        if (connectable is null)
            return Leftover.None;
        // A database nobody may connect to is opened just long enough to look inside, and closed again if it stays.
        if (connectable == false)
            await ExecuteAsync(cancellation, $"ALTER DATABASE {Quoted(name)} ALLOW_CONNECTIONS true");
        var (count, examples) = await LookInsideAsync(name, cancellation);
        if (count > 0)
        {
            if (connectable == false)
                await ExecuteAsync(cancellation, $"ALTER DATABASE {Quoted(name)} ALLOW_CONNECTIONS false");
            throw new BuildFailure(
                $"ResetDummyDatabase refuses to replace the database {name} on {dummy.Url.Host}:{dummy.Url.Port}, which has a name the {dummy.Environment} dummy database's reset uses: "
                + $"it carries no template marker, no dummy marker, and it is not empty ({count} objects, e.g. {string.Join(", ", examples)}), so it may hold real data. "
                + "Rename or drop it by hand, then run again. Nothing was changed.");
        }

        await DropAsync(name, cancellation);
        return count is null ? Leftover.Marked : Leftover.Empty;
    }

    /// <summary>Drops <paramref name="name"/>, a template too, ending whatever sessions it has.</summary>
    public Task DropAsync(string name, CancellationToken cancellation) =>
        ExecuteAsync(cancellation, $"ALTER DATABASE {Quoted(name)} IS_TEMPLATE false", $"DROP DATABASE {Quoted(name)} WITH (FORCE)");

    // One command each: CREATE, DROP and most of ALTER DATABASE refuse to run in a transaction, which a batch would be.
    public async Task ExecuteAsync(CancellationToken cancellation, params string[] statements)
    {
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, maintenance);
            await command.ExecuteNonQueryAsync(cancellation);
        }
    }

    public static string Quoted(string name) => $"\"{name.Replace("\"", "\"\"")}\"";

    public static string Literal(string text) => $"'{text.Replace("'", "''")}'";

    // Null objects: it carries the dummy marker.
    private async Task<(long? Count, IReadOnlyList<string> Examples)> LookInsideAsync(string name, CancellationToken cancellation)
    {
        await using var connection = await DatabaseConnector.OpenAsync(On(name), cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        if (await DummyMarker.ReadAsync(connection, transaction, cancellation) is not null)
            return (null, []);
        return await DummyMarker.FindObjectsAsync(connection, transaction, cancellation);
    }

    /// <summary>Ends every session on <paramref name="database"/> but <paramref name="except"/> that the login may end; returns how many.</summary>
    public static async Task<long> EndSessionsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string database, int except, CancellationToken cancellation)
    {
        await using var end = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> $2 AND pg_has_role(usesysid, 'MEMBER')",
            connection, transaction) { Parameters = { new() { Value = database }, new() { Value = except } } };
        return (long)(await end.ExecuteScalarAsync(cancellation))!;
    }

    // The renames share a transaction: ALTER DATABASE … RENAME may run in one, and the name is never without a database.
    private async Task RenameAsync(string replacement, CancellationToken cancellation)
    {
        await using var transaction = await maintenance.BeginTransactionAsync(cancellation);
        foreach (var statement in new[]
                 {
                     $"ALTER DATABASE {Quoted(dummy.Url.Database)} RENAME TO {Quoted(Old)}",
                     $"ALTER DATABASE {Quoted(replacement)} RENAME TO {Quoted(dummy.Url.Database)}",
                     $"ALTER DATABASE {Quoted(dummy.Url.Database)} ALLOW_CONNECTIONS true CONNECTION LIMIT -1",
                 })
        {
            await using var command = new NpgsqlCommand(statement, maintenance, transaction);
            await command.ExecuteNonQueryAsync(cancellation);
        }

        await transaction.CommitAsync(cancellation);
    }
}

/// <summary>What <see cref="DummyDatabases.DropLeftoverAsync"/> found under a name, and dropped unless none.</summary>
internal enum Leftover
{
    None,

    /// <summary>It carried the dummy marker: a database a reset made.</summary>
    Marked,

    /// <summary>It held no objects at all.</summary>
    Empty,
}
