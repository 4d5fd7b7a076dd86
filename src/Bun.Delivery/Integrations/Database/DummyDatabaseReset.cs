using System.Diagnostics;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Npgsql;

namespace Bun.Delivery.Integrations.Database;

/// <summary>How a reset made the dummy database.</summary>
public enum ResetPath
{
    /// <summary>Cloned from a template built in this run (none existed, or it no longer matched).</summary>
    BuiltTemplate,

    /// <summary>Cloned from the template an earlier reset left: files copied, nothing reloaded.</summary>
    ReusedTemplate,

    /// <summary>Its schemas dropped and rebuilt in place, without a template (the login may not create databases).</summary>
    InPlace,
}

/// <summary>What a reset did.</summary>
/// <param name="Claimed">The database held no data and was not marked: this reset made it a dummy database.</param>
/// <param name="Migration">The migrations this run applied (to the template or in place); none when a template was reused.</param>
/// <param name="ConnectionsEnded">Other sessions on the dummy database that the reset ended first.</param>
public sealed record ResetReport(bool Claimed, int Rows, int Seed, MigrationReport Migration, ResetPath Path, long ConnectionsEnded);

/// <summary>
/// ResetDummyDatabase: makes a dummy database hold exactly the migrations and deterministic fake data, and nothing else.
/// The first reset builds a seeded template (<see cref="DummyTemplate"/>) and clones it; later resets with the same key
/// only clone it. Without the right to create databases it drops and rebuilds the schemas in place. Every refusal comes
/// before the first statement that changes anything, and says why.
/// </summary>
public sealed class DummyDatabaseReset(DatabaseMigrator migrator, BuildOutput output)
{
    public const int DefaultRows = 1_000;

    /// <summary>The seed the build uses: a fixed one, so every reset of every dummy database holds the same data.</summary>
    public const int DefaultSeed = 6;

    /// <summary>Where the reset connects to create and drop databases: it cannot drop the one it is connected to.</summary>
    public const string MaintenanceDatabase = "postgres";

    public async Task<ResetReport> ResetAsync(DatabaseTarget target, int rows, int seed, CancellationToken cancellation)
    {
        if (target.ResetRefusal is { } refusal)
            throw new BuildFailure(refusal);
        if (DatabaseNeeds.RowsProblem(rows) is { } problem)
            throw BuildFailure.BadInput(problem);

        var clock = Stopwatch.StartNew();
        await using var connection = await DatabaseConnector.OpenAsync(target, cancellation);
        await using (await migrator.LockAsync(connection, target, cancellation))
        {
            // The check and the first change share one transaction on the session that holds the lock: no run of
            // MigrateDatabase or ResetDummyDatabase can come between them, and a refusal rolls back to nothing. On the
            // template path the transaction stays open, holding the marker, until the database is dropped.
            await using var transaction = await connection.BeginTransactionAsync(cancellation);
            var claim = await DatabaseConnector.GuardAsync("Checking for the dummy marker", target, () => MustClaimAsync(connection, transaction, target, cancellation));
            var (maintenance, inPlace) = await MaintenanceAsync(connection, transaction, target, cancellation);
            await using (maintenance)
            {
                var report = maintenance is null
                    ? await ResetInPlaceAsync(connection, transaction, target, claim, inPlace!, rows, seed, cancellation)
                    : await ResetFromTemplateAsync(connection, maintenance, target, claim, rows, seed, cancellation);
                output.Success($"Reset the {target.Describe()} in {clock.ElapsedMilliseconds} ms: {rows:N0} fake notes (seed {seed}), "
                               + report.Path switch
                               {
                                   ResetPath.ReusedTemplate => "cloned from its template.",
                                   ResetPath.BuiltTemplate => "seeded into a new template and cloned from it.",
                                   _ => "seeded in place.",
                               });
                return report;
            }
        }
    }

    private async Task<ResetReport> ResetFromTemplateAsync(
        NpgsqlConnection connection, NpgsqlConnection maintenance, DatabaseTarget target, string? claim, int rows, int seed, CancellationToken cancellation)
    {
        var key = DummyTemplate.KeyFor(migrator.Scripts, target.Environment, rows, seed);
        var template = new DummyTemplate(target, maintenance, key);
        var build = await DatabaseConnector.GuardAsync($"Checking the template {template.Name}", target, () => template.WhyBuildAsync(cancellation));
        output.Info(build is null
            ? $"The template {template.Name} matches (key {key[..12]}): migrations, seed and rows are unchanged."
            : $"Building the template {template.Name} (key {key[..12]}): {build}.");
        var ended = await DatabaseConnector.GuardAsync($"Ending the connections to the {target.Describe()} and dropping it", target,
            () => template.DropDummyAsync(connection, cancellation));
        output.Info(claim is null
            ? $"Ended {Connections(ended)} to the {target.Describe()}, then dropped it."
            : $"Claimed the {target.Describe()} as a dummy database for {target.Environment} ({claim}): ended {Connections(ended)} to it, then dropped it.");

        var migration = new MigrationReport(DryRun: false, Applied: [], Pending: [], Unknown: []);
        if (build is not null)
            migration = await BuildAsync(template, target, rows, seed, cancellation);
        var clock = Stopwatch.StartNew();
        await DatabaseConnector.GuardAsync($"Creating the {target.Describe()} as a clone of {template.Name}", target,
            () => template.CloneAsync(justBuilt: build is not null, cancellation));
        output.Info($"Re-created the {target.Describe()} from {template.Name} in {clock.ElapsedMilliseconds} ms.");
        return new ResetReport(claim is not null, rows, seed, migration, build is null ? ResetPath.ReusedTemplate : ResetPath.BuiltTemplate, ended);
    }

    // A build that fails leaves the dummy database empty and unmarked, never half-seeded: the next reset claims it again.
    private async Task<MigrationReport> BuildAsync(DummyTemplate template, DatabaseTarget target, int rows, int seed, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var migration = await DatabaseConnector.GuardAsync($"Building the template {template.Name}", target, () => template.BuildAsync(migrator, rows, seed, cancellation));
            output.Info($"Seeded {rows:N0} fake notes (seed {seed}) into the template {template.Name} in {clock.ElapsedMilliseconds} ms.");
            return migration;
        }
        catch (BuildFailure failure)
        {
            await DatabaseConnector.GuardAsync($"Creating the {target.Describe()} empty after a failed build", target, () => template.CreateEmptyDummyAsync(CancellationToken.None));
            throw new BuildFailure($"{failure.Message} The {target.Describe()} was left empty and unmarked; the next ResetDummyDatabase claims it.", failure.ExitCode);
        }
    }

    private async Task<ResetReport> ResetInPlaceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseTarget target, string? claim, string why, int rows, int seed, CancellationToken cancellation)
    {
        output.Info($"Resetting the {target.Describe()} in place, without a template: {why}.");
        var ended = await DatabaseConnector.GuardAsync("Ending the other connections and dropping the dummy schemas", target, async () =>
        {
            if (claim is not null)
                await DummyMarker.ClaimAsync(connection, transaction, target.Environment, cancellation);
            var count = await EndOtherSessionsAsync(connection, transaction, cancellation);
            await DropSchemasAsync(connection, transaction, cancellation);
            await transaction.CommitAsync(cancellation);
            return count;
        });
        output.Info(claim is not null
            ? $"Claimed the {target.Describe()} as a dummy database for {target.Environment} ({claim}): ended {Connections(ended)} to it, then created its schema."
            : $"Ended {Connections(ended)} to the {target.Describe()}, then dropped and recreated its schema.");

        var migration = await migrator.MigrateLockedAsync(connection, target, cancellation);
        await DatabaseConnector.GuardAsync("Seeding fake notes", target, () => DummyNotes.SeedAsync(connection, rows, seed, cancellation));
        return new ResetReport(claim is not null, rows, seed, migration, ResetPath.InPlace, ended);
    }

    // The template path needs a login that may create databases and drops this one, and a second database to do it from.
    private static async Task<(NpgsqlConnection? Maintenance, string? InPlace)> MaintenanceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseTarget target, CancellationToken cancellation)
    {
        await using (var rights = new NpgsqlCommand(
                         """
                         SELECT CASE WHEN NOT (r.rolsuper OR r.rolcreatedb) THEN format('the login %s may not create databases (CREATEDB)', current_user)
                                     WHEN NOT pg_has_role(d.datdba, 'MEMBER') THEN format('the login %s does not own the database', current_user) END
                         FROM pg_database d, pg_roles r WHERE d.datname = current_database() AND r.rolname = current_user
                         """, connection, transaction))
        {
            if (await DatabaseConnector.GuardAsync("Checking the login's rights", target, () => rights.ExecuteScalarAsync(cancellation)) is string missing)
                return (null, missing);
        }

        var maintenance = new NpgsqlConnection(target.Url.ForDatabase(MaintenanceDatabase).ConnectionString);
        try
        {
            await maintenance.OpenAsync(cancellation);
            return (maintenance, null);
        }
        catch (NpgsqlException exception)
        {
            await maintenance.DisposeAsync();
            return (null, $"the {MaintenanceDatabase} database, from which it would create and drop databases, cannot be reached ({exception.Message.Split('\n')[0].Trim()})");
        }
    }

    // Null: marked for this environment. Otherwise why it may be claimed: it holds no data. Anything else is refused.
    private static async Task<string?> MustClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseTarget target, CancellationToken cancellation)
    {
        if (await DummyMarker.ReadAsync(connection, transaction, cancellation) is { } claim)
            return claim.BelongsTo(target.Environment) ? null : throw ClaimedElsewhere(target, claim);
        var (count, examples) = await DummyMarker.FindObjectsAsync(connection, transaction, cancellation);
        if (count == 0)
            return "it was empty";
        if (await DummyMarker.HoldsOnlyEmptyMigratedTablesAsync(connection, transaction, cancellation))
            return "it held only the tables MigrateDatabase made, all of them without rows";
        throw new BuildFailure(
            $"ResetDummyDatabase refuses the {target.Describe()}: it has no dummy marker and is not empty ({count} objects, e.g. {string.Join(", ", examples)}), and it holds rows outside Bun's migration journal. "
            + "Only a database that holds no data (empty, or migrated by MigrateDatabase with no rows yet) can be claimed, whatever the environment table says: check that --database-url points at the dummy database. Nothing was changed.");
    }

    // A dummy database belongs to the environment it was claimed for; a marker naming none was made or changed by hand.
    private static BuildFailure ClaimedElsewhere(DatabaseTarget target, DummyClaim claim) => new(claim.Environments.Count == 0
        ? $"ResetDummyDatabase refuses the {target.Describe()}: its dummy marker names no environment (ResetDummyDatabase always records one, so the marker was made or changed by hand). "
          + $"If this is {target.Environment}'s dummy database, record that ({DummyMarker.RecordEnvironmentSql(target.Environment)}) and run again. Nothing was changed."
        : $"ResetDummyDatabase refuses the {target.Describe()}: its dummy marker says it was {claim.Describe()}, not for {target.Environment}. "
          + $"A dummy database belongs to the environment it was claimed for: check that --database-url points at {target.Environment}'s database, or reset it as {claim.Environments[0]}'s with --environment {claim.Environments[0]}. Nothing was changed.");

    private static string Connections(long ended) => $"{ended} other connection{(ended == 1 ? "" : "s")}";

    private static async Task<long> EndOtherSessionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND pg_has_role(usesysid, 'MEMBER')",
            connection, transaction);
        return (long)(await command.ExecuteScalarAsync(cancellation))!;
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
