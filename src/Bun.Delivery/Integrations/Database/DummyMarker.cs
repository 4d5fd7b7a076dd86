using Npgsql;

namespace Bun.Delivery.Integrations.Database;

/// <summary>What a dummy marker records: the environments it was claimed for. ResetDummyDatabase writes exactly one.</summary>
internal sealed record DummyClaim(IReadOnlyList<string> Environments)
{
    public bool BelongsTo(string environment) => Environments is [var only] && only == environment;

    /// <summary>"claimed for dev", for messages.</summary>
    public string Describe() => Environments.Count == 0 ? "naming no environment" : $"claimed for {string.Join(" and ", Environments)}";
}

/// <summary>
/// The mark that makes a database resettable: a table in its own schema, written only by ResetDummyDatabase and only into
/// a database that was empty when it claimed it, with the environment it was claimed for. A real database can therefore
/// never carry it, whatever a configuration or a mistyped connection string says, and a real environment refuses to
/// migrate a database that does. The reset drops every other schema and never this one.
/// </summary>
internal static class DummyMarker
{
    public const string Schema = "bun_dummy";

    /// <summary>The claim the database's marker records, or null when it has none.</summary>
    public static async Task<DummyClaim?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellation)
    {
        // The column is looked up first: a marker table made by hand may lack it, and a query naming it would fail.
        await using (var shape = new NpgsqlCommand(
                         $"""
                         SELECT to_regclass('{Schema}.marker') IS NOT NULL,
                                EXISTS (SELECT FROM pg_attribute WHERE attrelid = to_regclass('{Schema}.marker') AND attname = 'environment' AND NOT attisdropped)
                         """, connection, transaction))
        await using (var reader = await shape.ExecuteReaderAsync(cancellation))
        {
            await reader.ReadAsync(cancellation);
            if (!reader.GetBoolean(0))
                return null;
            if (!reader.GetBoolean(1))
                return new DummyClaim([]);
        }

        await using var claims = new NpgsqlCommand(
            $"SELECT DISTINCT environment FROM {Schema}.marker WHERE nullif(trim(environment), '') IS NOT NULL ORDER BY 1", connection, transaction);
        await using var rows = await claims.ExecuteReaderAsync(cancellation);
        var environments = new List<string>();
        while (await rows.ReadAsync(cancellation))
            environments.Add(rows.GetString(0));
        return new DummyClaim(environments);
    }

    /// <summary>The one line of SQL that records, in a marker that names no environment, which environment the database belongs to.</summary>
    public static string RecordEnvironmentSql(string environment) =>
        $"ALTER TABLE {Schema}.marker ADD COLUMN IF NOT EXISTS environment text; INSERT INTO {Schema}.marker (environment) VALUES ('{environment}')";

    /// <summary>How many objects the database has outside the system schemas (an empty public schema does not count), and a few of them by name.</summary>
    public static async Task<(long Count, IReadOnlyList<string> Examples)> FindObjectsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellation)
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
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var (count, examples) = (0L, new List<string>());
        while (await reader.ReadAsync(cancellation))
            (count, examples) = (reader.GetInt64(0), [.. examples, reader.GetString(1)]);
        return (count, examples);
    }

    /// <summary>
    /// True when the database has Bun's migration journal and no table but the journal holds a row (and there are no
    /// large objects): what MigrateDatabase leaves in an empty database. Such a database holds no data, so a reset may claim it.
    /// </summary>
    public static async Task<bool> HoldsOnlyEmptyMigratedTablesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellation)
    {
        // query_to_xml runs one probe per table inside a single read-only statement; a foreign table counts as data.
        await using var command = new NpgsqlCommand(
            $"""
            SELECT to_regclass('{MigrationJournal.Table}') IS NOT NULL
               AND NOT EXISTS (SELECT FROM pg_largeobject_metadata)
               AND NOT EXISTS (
                   SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE c.relkind IN ('r', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
                     AND c.oid IS DISTINCT FROM to_regclass('{MigrationJournal.Table}')
                     AND (c.relkind = 'f' OR (xpath('/row/rows/text()', query_to_xml(format('SELECT count(*) AS rows FROM (SELECT FROM %s LIMIT 1) one', c.oid::regclass), false, true, '')))[1]::text <> '0'))
            """, connection, transaction);
        return await command.ExecuteScalarAsync(cancellation) is true;
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
