using Bun.Delivery.Integrations.Database;
using Bun.Pipeline.Output;
using Npgsql;

namespace Bun.Delivery.Tests.Integrations.Database;

/// <summary>The build's one writer, capturing into a string, with the masker the targets would share.</summary>
internal sealed class CapturedOutput
{
    private readonly StringWriter _text = new();

    public CapturedOutput() => Output = new BuildOutput(_text, new OutputStyle(Colour: false, GitHubActions: false), new SecretMasker());

    public BuildOutput Output { get; }
    public string Text => _text.ToString();
}

/// <summary>Everything a test compares to prove a database untouched: every object, and every table's row count and content hash.</summary>
internal static class DatabaseFingerprint
{
    public static async Task<string> TakeAsync(PostgresServer server, string url)
    {
        await using var connection = await server.OpenAsync(PostgresServer.DatabaseOf(url));
        var lines = new List<string>();
        await using (var objects = new NpgsqlCommand(
                         """
                         SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' ELSE 'relation ' || c.relkind::text END
                                || ' ' || n.nspname || '.' || c.relname
                         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
                         UNION ALL SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_%'
                         ORDER BY 1
                         """, connection))
        await using (var reader = await objects.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                lines.Add(reader.GetString(0));
        }

        foreach (var table in lines.Where(line => line.StartsWith("table ", StringComparison.Ordinal)).Select(line => line["table ".Length..]).ToList())
        {
            await using var content = new NpgsqlCommand(
                $"SELECT count(*) || ' rows, md5 ' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {table} t", connection);
            lines.Add($"{table}: {await content.ExecuteScalarAsync()}");
        }

        return string.Join("\n", lines);
    }

    public static async Task<long> CountAsync(PostgresServer server, string url, string table)
    {
        await using var connection = await server.OpenAsync(PostgresServer.DatabaseOf(url));
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task ExecuteAsync(PostgresServer server, string url, string sql)
    {
        await using var connection = await server.OpenAsync(PostgresServer.DatabaseOf(url));
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A temp folder of migration scripts, for scenarios the real db/migrations does not have.</summary>
internal sealed class MigrationFolder : IDisposable
{
    private readonly string _path = Directory.CreateTempSubdirectory("bun-migrations-").FullName;

    public MigrationFolder Add(string name, string sql)
    {
        File.WriteAllText(Path.Combine(_path, name), sql);
        return this;
    }

    public MigrationScripts Scripts => MigrationScripts.Load(_path);

    /// <summary>The repository's own db/migrations.</summary>
    public static MigrationScripts Repository() => MigrationScripts.Load(RepositoryRoot.PathOf("db", "migrations"));

    public void Dispose() => Directory.Delete(_path, recursive: true);
}

/// <summary>
/// The migration lock of one database, held by the test on its own session, to stop runs at the lock deterministically:
/// the test sees them wait (in pg_locks), changes the database as another locked run would, then lets them through.
/// </summary>
internal sealed class HeldMigrationLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _session;
    private readonly string _database;

    private HeldMigrationLock(NpgsqlConnection session, string database) => (_session, _database) = (session, database);

    public static async Task<HeldMigrationLock> TakeAsync(PostgresServer server, string url)
    {
        var database = PostgresServer.DatabaseOf(url);
        var session = await server.OpenAsync(database);
        await using var take = new NpgsqlCommand("SET application_name = 'test-holder'; SELECT pg_advisory_lock(x'42756E004D696772'::bigint)", session);
        await take.ExecuteNonQueryAsync();
        return new HeldMigrationLock(session, database);
    }

    /// <summary>Returns once <paramref name="count"/> other sessions wait for this lock.</summary>
    public async Task WaitForWaitersAsync(int count)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            await using var waiting = new NpgsqlCommand(
                """
                SELECT count(*) FROM pg_locks
                WHERE locktype = 'advisory' AND NOT granted AND classid = x'42756E00'::bigint AND objid = x'4D696772'::bigint
                  AND database = (SELECT oid FROM pg_database WHERE datname = $1)
                """, _session) { Parameters = { new() { Value = _database } } };
            if ((long)(await waiting.ExecuteScalarAsync())! >= count)
                return;
            await Task.Delay(25);
        }

        throw new TimeoutException($"{count} session(s) never queued for the migration lock");
    }

    /// <summary>Runs SQL on the session that holds the lock, as a locked migration would.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var command = new NpgsqlCommand(sql, _session);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock(x'42756E004D696772'::bigint)", _session))
            await release.ExecuteNonQueryAsync();
        await _session.DisposeAsync();
    }
}
