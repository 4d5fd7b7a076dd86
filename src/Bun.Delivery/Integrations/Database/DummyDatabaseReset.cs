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
        if (DatabaseNeeds.RowsProblem(rows) is { } problem)
            throw BuildFailure.BadInput(problem);

        await using var connection = await DatabaseConnector.OpenAsync(target, cancellation);
        await using (await migrator.LockAsync(connection, target, cancellation))
        {
            // The check and the first change share one transaction on the session that holds the lock: no run of
            // MigrateDatabase or ResetDummyDatabase can come between them, and a refusal rolls back to nothing.
            var claimed = await DatabaseConnector.GuardAsync("Checking for the dummy marker and dropping the dummy schemas", target, async () =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellation);
                var claim = await MustClaimAsync(connection, transaction, target, cancellation);
                if (claim)
                    await DummyMarker.ClaimAsync(connection, transaction, target.Environment, cancellation);
                await DropSchemasAsync(connection, transaction, cancellation);
                await transaction.CommitAsync(cancellation);
                return claim;
            });
            output.Info(claimed
                ? $"Claimed the {target.Describe()} as a dummy database for {target.Environment} (it was empty) and created its schema."
                : $"Dropped and recreated the schema of the {target.Describe()}.");

            var migration = await migrator.MigrateLockedAsync(connection, target, cancellation);
            var clock = Stopwatch.StartNew();
            await DatabaseConnector.GuardAsync("Seeding fake notes", target, () => DummyNotes.SeedAsync(connection, rows, seed, cancellation));
            output.Success($"Seeded {rows:N0} fake notes (seed {seed}) in {clock.ElapsedMilliseconds} ms.");
            return new ResetReport(claimed, rows, seed, migration);
        }
    }

    // True: empty and unmarked, so this reset claims it. False: marked for this environment. Anything else is refused.
    private static async Task<bool> MustClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseTarget target, CancellationToken cancellation)
    {
        if (await DummyMarker.ReadAsync(connection, transaction, cancellation) is { } claim)
            return claim.BelongsTo(target.Environment) ? false : throw ClaimedElsewhere(target, claim);
        var (count, examples) = await DummyMarker.FindObjectsAsync(connection, transaction, cancellation);
        if (count == 0)
            return true;
        throw new BuildFailure(
            $"ResetDummyDatabase refuses the {target.Describe()}: it has no dummy marker and is not empty ({count} objects, e.g. {string.Join(", ", examples)}). "
            + "Only a database that ResetDummyDatabase claimed while it was empty can be reset, whatever the environment table says: check that --database-url points at the dummy database. Nothing was changed.");
    }

    // A dummy database belongs to the environment it was claimed for; a marker naming none was made or changed by hand.
    private static BuildFailure ClaimedElsewhere(DatabaseTarget target, DummyClaim claim) => new(claim.Environments.Count == 0
        ? $"ResetDummyDatabase refuses the {target.Describe()}: its dummy marker names no environment (ResetDummyDatabase always records one, so the marker was made or changed by hand). "
          + $"If this is {target.Environment}'s dummy database, record that ({DummyMarker.RecordEnvironmentSql(target.Environment)}) and run again. Nothing was changed."
        : $"ResetDummyDatabase refuses the {target.Describe()}: its dummy marker says it was {claim.Describe()}, not for {target.Environment}. "
          + $"A dummy database belongs to the environment it was claimed for: check that --database-url points at {target.Environment}'s database, or reset it as {claim.Environments[0]}'s with --environment {claim.Environments[0]}. Nothing was changed.");

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
