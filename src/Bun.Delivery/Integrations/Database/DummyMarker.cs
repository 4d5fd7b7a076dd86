using Npgsql;

namespace Bun.Delivery.Integrations.Database;

/// <summary>
/// The mark that makes a database resettable: a table in its own schema, written only by ResetDummyDatabase and only into
/// a database that was empty when it claimed it. A real database can therefore never carry it, whatever a configuration
/// or a mistyped connection string says. The reset drops every other schema and never this one.
/// </summary>
internal static class DummyMarker
{
    public const string Schema = "bun_dummy";

    public static async Task<bool> IsPresentAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"SELECT to_regclass('{Schema}.marker') IS NOT NULL", connection);
        return await command.ExecuteScalarAsync(cancellation) is true;
    }

    /// <summary>How many objects the database has outside the system schemas (an empty public schema does not count), and a few of them by name.</summary>
    public static async Task<(long Count, IReadOnlyList<string> Examples)> FindObjectsAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            """
            WITH user_schemas AS (
                SELECT oid, nspname FROM pg_namespace
                WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_%'
            ), objects AS (
                SELECT format('schema %I', nspname) AS name FROM user_schemas WHERE nspname <> 'public'
                UNION ALL
                SELECT format('%s %I.%I', CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence'
                    WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'relation' END, s.nspname, c.relname)
                FROM pg_class c JOIN user_schemas s ON s.oid = c.relnamespace
                UNION ALL
                SELECT format('function %I.%I', s.nspname, p.proname) FROM pg_proc p JOIN user_schemas s ON s.oid = p.pronamespace
                UNION ALL
                SELECT format('type %I.%I', s.nspname, t.typname) FROM pg_type t JOIN user_schemas s ON s.oid = t.typnamespace WHERE t.typtype IN ('d', 'e', 'r', 'm')
            )
            SELECT count(*) OVER (), name FROM objects ORDER BY name LIMIT 3
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var (count, examples) = (0L, new List<string>());
        while (await reader.ReadAsync(cancellation))
            (count, examples) = (reader.GetInt64(0), [.. examples, reader.GetString(1)]);
        return (count, examples);
    }

    public static async Task ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string environment, CancellationToken cancellation)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new($"CREATE SCHEMA {Schema}"),
                new($"COMMENT ON SCHEMA {Schema} IS 'Dummy database: generated data only. ResetDummyDatabase may drop every other schema of this database.'"),
                new($"CREATE TABLE {Schema}.marker (claimed_at timestamptz NOT NULL DEFAULT now(), environment text NOT NULL)"),
                new($"INSERT INTO {Schema}.marker (environment) VALUES ($1)") { Parameters = { new() { Value = environment } } },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellation);
    }
}
