using Npgsql;

namespace Bun.Delivery.Integrations.Database;

/// <summary>
/// The table that records which migrations a database has, with the checksum each had when it was applied. It lives in
/// the public schema beside the tables it describes, so a reset that drops that schema forgets them together.
/// </summary>
internal static class MigrationJournal
{
    public const string Table = "public.bun_migrations";

    public static async Task EnsureExistsAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"CREATE TABLE IF NOT EXISTS {Table} (script text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
            connection);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>Script name → checksum of every applied migration; empty when the journal does not exist yet (a dry run never creates it).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using (var exists = new NpgsqlCommand($"SELECT to_regclass('{Table}') IS NOT NULL", connection))
        {
            if (await exists.ExecuteScalarAsync(cancellation) is not true)
                return new Dictionary<string, string>();
        }

        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand($"SELECT script, checksum FROM {Table}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            applied[reader.GetString(0)] = reader.GetString(1);
        return applied;
    }

    public static async Task RecordAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"INSERT INTO {Table} (script, checksum) VALUES ($1, $2)", connection)
        {
            Parameters = { new() { Value = script.Name }, new() { Value = script.Checksum } },
        };
        await command.ExecuteNonQueryAsync(cancellation);
    }
}
