using System.Diagnostics;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Npgsql;

namespace Bun.Delivery.Integrations.Database;

/// <summary>What a reset did.</summary>
/// <param name="Claimed">The database was empty and this reset wrote the dummy marker into it.</param>
public sealed record ResetReport(bool Claimed, int Rows, int Seed, MigrationReport Migration);

/// <summary>
/// ResetDummyDatabase: drops a dummy database's schemas, recreates them, migrates and seeds deterministic fake data.
/// Every refusal comes before the first statement that changes anything, and says why.
/// </summary>
public sealed class DummyDatabaseReset(DatabaseMigrator migrator, BuildOutput output)
{
    public const int DefaultRows = 1_000;

    /// <summary>The seed the build uses: a fixed one, so every reset of every dummy database holds the same data.</summary>
    public const int DefaultSeed = 6;

    public async Task<ResetReport> ResetAsync(DatabaseTarget target, int rows, int seed, CancellationToken cancellation)
    {
        if (target.ResetRefusal is { } refusal)
            throw new BuildFailure(refusal);
        if (rows < 0)
            throw BuildFailure.BadInput($"--rows is the number of fake notes to seed: 0 or more, got {rows}.");

        await using var connection = await DatabaseConnector.OpenAsync(target, cancellation);
        await using (await migrator.LockAsync(connection, target, cancellation))
        {
            var claim = await DatabaseConnector.GuardAsync("Checking for the dummy marker", target, () => MustClaimAsync(connection, target, cancellation));
            await DatabaseConnector.GuardAsync("Dropping the dummy schemas", target, async () =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellation);
                if (claim)
                    await DummyMarker.ClaimAsync(connection, transaction, target.Environment, cancellation);
                await DropSchemasAsync(connection, transaction, cancellation);
                await transaction.CommitAsync(cancellation);
            });
            output.Info(claim
                ? $"Claimed the {target.Describe()} as a dummy database (it was empty) and created its schema."
                : $"Dropped and recreated the schema of the {target.Describe()}.");

            var migration = await migrator.MigrateLockedAsync(connection, target, cancellation);
            var clock = Stopwatch.StartNew();
            await DatabaseConnector.GuardAsync("Seeding fake notes", target, () => DummyNotes.SeedAsync(connection, rows, seed, cancellation));
            output.Success($"Seeded {rows:N0} fake notes (seed {seed}) in {clock.ElapsedMilliseconds} ms.");
            return new ResetReport(claim, rows, seed, migration);
        }
    }

    // True: empty and unmarked, so this reset claims it. False: marked. Anything else is refused, untouched.
    private static async Task<bool> MustClaimAsync(NpgsqlConnection connection, DatabaseTarget target, CancellationToken cancellation)
    {
        if (await DummyMarker.IsPresentAsync(connection, cancellation))
            return false;
        var (count, examples) = await DummyMarker.FindObjectsAsync(connection, cancellation);
        if (count == 0)
            return true;
        throw new BuildFailure(
            $"ResetDummyDatabase refuses the {target.Describe()}: it has no dummy marker and is not empty ({count} objects, e.g. {string.Join(", ", examples)}). "
            + "Only a database that ResetDummyDatabase claimed while it was empty can be reset, whatever the environment table says: check that --database-url points at the dummy database. Nothing was changed.");
    }

    // Every user schema goes (tables, data and the migration journal with them) except the marker's; public comes back empty.
    private static async Task DropSchemasAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"""
            DO $$
            DECLARE doomed name;
            BEGIN
                FOR doomed IN SELECT nspname FROM pg_namespace
                    WHERE nspname NOT IN ('pg_catalog', 'information_schema', '{DummyMarker.Schema}') AND nspname NOT LIKE 'pg\_%'
                LOOP
                    EXECUTE format('DROP SCHEMA %I CASCADE', doomed);
                END LOOP;
                CREATE SCHEMA public;
                GRANT USAGE ON SCHEMA public TO PUBLIC;
            END $$
            """, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellation);
    }
}
