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
/// Beside it the reset keeps its spare: a clone made ahead of the next reset, which then only renames it.
/// </summary>
internal sealed class DummyTemplate(DummyDatabases databases, string key)
{
    private const string MarkerStart = "Bun dummy template of ";

    /// <summary>Bump when the rows DummyNotes writes for a seed change, so that older templates are rebuilt.</summary>
    private const int DataVersion = 1;

    // pg_try_advisory_lock(int, int): "BunT" and a hash of the template's name, held by the session that builds it.
    private const int BuilderLockClass = 0x42756E54;

    public string Name => databases.Template;

    private DatabaseTarget Dummy => databases.Dummy;

    private string Marker => $"{MarkerStart}{Dummy.Url.Database} for {Dummy.Environment}, key {key}";

    private int BuilderLockKey => BuilderLockKeyFor(Name);

    /// <summary><c>bun_dev_bun_template</c>; a name too long for PostgreSQL's 63 bytes keeps a hash of the whole.</summary>
    public static string NameFor(string database) => DummyDatabases.NameFor(database, "_bun_template");

    /// <summary>What the template's data follows from: every migration's checksum, the environment of its marker, the seed, the rows.</summary>
    public static string KeyFor(MigrationScripts scripts, string environment, int rows, int seed)
    {
        var text = new StringBuilder($"data {DataVersion}\nenvironment {environment}\nrows {rows}\nseed {seed}\n");
        foreach (var script in scripts.All)
            text.Append($"migration {script.Name} {script.Checksum}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// The template and its spare in one look at the catalog. The spare is ready when nobody may connect to it and it
    /// carries this key's tag: the statement that copies it can write nothing else, so the tag is its connection limit,
    /// which the swap sets back to none. Its owner and frozen transaction horizon are the template's, as a clone's are.
    /// </summary>
    public async Task<TemplateState> ReadAsync(CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT t.oid IS NOT NULL, coalesce(t.datistemplate AND NOT t.datallowconn, false), coalesce(shobj_description(t.oid, 'pg_database'), ''),
                   s.oid IS NOT NULL AND NOT s.datallowconn AND NOT s.datistemplate AND s.datconnlimit = {SpareTag} AND s.datdba = t.datdba AND s.datfrozenxid = t.datfrozenxid,
                   EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = {BuilderLockClass} AND objid = {(uint)BuilderLockKey} AND objsubid = 2
                           AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
            FROM (SELECT) AS one
            LEFT JOIN pg_database t ON t.datname = $1
            LEFT JOIN pg_database s ON s.datname = $2
            """, databases.Maintenance) { Parameters = { new() { Value = Name }, new() { Value = databases.Spare } } };
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        var comment = reader.GetString(2);
        return new TemplateState(reader.GetBoolean(0), reader.GetBoolean(1) && comment == Marker, comment, reader.GetBoolean(3), reader.GetBoolean(4));
    }

    /// <summary>Null when the template is sealed with this key; otherwise why it must be built, after dropping a stale one and its spare.</summary>
    public async Task<string?> WhyBuildAsync(TemplateState state, CancellationToken cancellation)
    {
        if (state.Sealed)
            return null;
        if (!state.Exists)
        {
            await databases.DropLeftoverAsync(databases.Spare, cancellation);
            return "there is none yet";
        }

        string reason;
        if (state.Comment.StartsWith(MarkerStart, StringComparison.Ordinal))
        {
            reason = $"it was built for another key ({Short(state.Comment[(state.Comment.LastIndexOf(' ') + 1)..])}, now {Short(key)}: a migration, the seed or the row count changed), so it is rebuilt";
            await databases.DropAsync(Name, cancellation);
        }
        else
        {
            reason = await databases.DropLeftoverAsync(Name, cancellation) == Leftover.Empty
                ? "it carries no template marker and is empty, so it is rebuilt"
                : "it carries no template marker (a build that stopped halfway, or a copy made by hand), so it is rebuilt";
        }

        // After the template: a copy of it still running holds it until done, and its spare then goes too.
        await databases.DropLeftoverAsync(databases.Spare, cancellation);
        return reason;
    }

    /// <summary>Creates the template, claims, migrates and seeds it, then seals it: the marker comes last, so a build cut short is never used.</summary>
    public async Task<MigrationReport> BuildAsync(DatabaseMigrator migrator, int rows, int seed, CancellationToken cancellation)
    {
        var migration = await databases.SeedFreshAsync(Name, migrator, rows, seed, cancellation);
        await databases.ExecuteAsync(cancellation,
            $"COMMENT ON DATABASE {Quoted(Name)} IS {DummyDatabases.Literal(Marker)}", $"ALTER DATABASE {Quoted(Name)} ALLOW_CONNECTIONS false", $"ALTER DATABASE {Quoted(Name)} IS_TEMPLATE true");
        return migration;
    }

    /// <summary>Copies the sealed template into <paramref name="database"/>, all or nothing, by copying its files.</summary>
    public string CloneSql(string database) => $"CREATE DATABASE {Quoted(database)} TEMPLATE {Quoted(Name)} STRATEGY FILE_COPY";

    /// <summary>The spare: a clone nobody may connect to until a reset renames it into the dummy database's place.</summary>
    public string SpareSql => $"{CloneSql(databases.Spare)} ALLOW_CONNECTIONS false CONNECTION LIMIT {SpareTag}";

    private int SpareTag => Convert.ToInt32(key[..7], 16);

    /// <summary>Holds the builder's lock on the maintenance session, or returns null when another session builds this template.</summary>
    public async Task<IAsyncDisposable?> TryHoldBuilderLockAsync(CancellationToken cancellation)
    {
        await using (var take = new NpgsqlCommand(BuilderLockSql(Name), databases.Maintenance))
        {
            if (await take.ExecuteScalarAsync(cancellation) is not true)
                return null;
        }

        return new BuilderLock(databases.Maintenance, $"SELECT pg_advisory_unlock({BuilderLockClass}, {BuilderLockKey})");
    }

    /// <summary>What takes the builder's lock of the template <paramref name="name"/>, on the maintenance database.</summary>
    internal static string BuilderLockSql(string name) => $"SELECT pg_try_advisory_lock({BuilderLockClass}, {BuilderLockKeyFor(name)})";

    private static int BuilderLockKeyFor(string name) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    private static string Short(string key) => key.Length > 12 ? key[..12] + "…" : key;

    private static string Quoted(string name) => DummyDatabases.Quoted(name);

    private sealed class BuilderLock(NpgsqlConnection session, string release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (session.FullState != System.Data.ConnectionState.Open)
                return;
            await using var command = new NpgsqlCommand(release, session);
            await command.ExecuteNonQueryAsync();
        }
    }
}

/// <param name="Sealed">It exists, is sealed and carries this key's marker.</param>
/// <param name="Comment">Its marker comment, or empty.</param>
/// <param name="SpareReady">A clone of it waits under the spare's name.</param>
/// <param name="BeingBuilt">Another session holds the builder's lock: a build is running.</param>
internal sealed record TemplateState(bool Exists, bool Sealed, string Comment, bool SpareReady, bool BeingBuilt);
