using System.Diagnostics;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Npgsql;

namespace Bun.Delivery.Integrations.Database;

/// <summary>How a reset made the dummy database.</summary>
public enum ResetPath
{
    /// <summary>Seeded into a fresh database that then took the dummy's place; no template matched, so one is built after it.</summary>
    Seeded,

    /// <summary>The spare clone of the template, made ahead of time, renamed into the dummy's place: nothing copied, nothing reloaded.</summary>
    SwappedSpare,

    /// <summary>Cloned from the template an earlier reset left (files copied, nothing reloaded), as no spare was ready.</summary>
    ClonedTemplate,

    /// <summary>Its schemas dropped and rebuilt in place, without a template (the login may not create databases).</summary>
    InPlace,
}

/// <summary>What a reset did.</summary>
/// <param name="Claimed">The database held no data and was not marked: this reset made it a dummy database.</param>
/// <param name="Migration">The migrations this run applied to the dummy database; none when it came from the template.</param>
/// <param name="ConnectionsEnded">Other sessions on the dummy database that the reset ended first.</param>
/// <param name="ServerWork">Ends when the server has finished what the reset left to it (dropping the old database, copying the next spare).</param>
public sealed record ResetReport(bool Claimed, int Rows, int Seed, MigrationReport Migration, ResetPath Path, long ConnectionsEnded, Task ServerWork);

/// <summary>Starts building a dummy database's template and spare after a reset found none; returns how, for the log.</summary>
public delegate Task<string> TemplateBuildStart(DatabaseTarget dummy, int rows, int seed, CancellationToken cancellation);

/// <summary>
/// ResetDummyDatabase: makes a dummy database hold exactly the migrations and deterministic fake data, and nothing else.
/// A reset never changes the dummy database in place when it may create databases: it makes the new one beside it and
/// swaps the names in one transaction, so the name holds the old database or the new one, never half of either. The new
/// one is a spare clone of the seeded template (<see cref="DummyTemplate"/>) when one is ready, else a clone of the
/// template, else freshly seeded, after which the template is built (<paramref name="startTemplateBuild"/>, or in this
/// run when null). Without the right to create databases it drops and rebuilds the schemas in place. Every refusal
/// comes before the first statement that changes anything, and says why.
/// </summary>
public sealed class DummyDatabaseReset(DatabaseMigrator migrator, BuildOutput output, TemplateBuildStart? startTemplateBuild = null)
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
        // The maintenance sessions connect while the dummy database is checked: two spare ones carry the work left to the server.
        await using var maintenanceSessions = MaintenanceSessions.Open(target, 3, cancellation);
        await using var connection = await DatabaseConnector.OpenAsync(target, cancellation);
        await using (await migrator.LockAsync(connection, target, cancellation))
        {
            // The check and the first change share one transaction on the session that holds the lock: no run of
            // MigrateDatabase or ResetDummyDatabase can come between them, and a refusal rolls back to nothing. On the
            // template path the transaction stays open, holding the marker, until the database is swapped out.
            await using var transaction = await connection.BeginTransactionAsync(cancellation);
            var claim = await DatabaseConnector.GuardAsync("Checking for the dummy marker", target, () => MustClaimAsync(connection, transaction, target, cancellation));
            var inPlace = await WhyInPlaceAsync(connection, transaction, target, maintenanceSessions, cancellation);
            ResetReport report;
            if (inPlace is null)
            {
                await using var maintenance = (await maintenanceSessions.TakeAsync())!;
                report = await ResetBesideAsync(connection, new DummyDatabases(target, maintenance), maintenanceSessions, claim, rows, seed, cancellation);
            }
            else
            {
                report = await ResetInPlaceAsync(connection, transaction, target, claim, inPlace, rows, seed, cancellation);
            }

            output.Success($"Reset the {target.Describe()} in {clock.ElapsedMilliseconds} ms: {rows:N0} fake notes (seed {seed}), "
                           + report.Path switch
                           {
                               ResetPath.SwappedSpare => "swapped in from a ready clone of its template.",
                               ResetPath.ClonedTemplate => "cloned from its template.",
                               ResetPath.Seeded => "seeded into a fresh database and swapped in.",
                               _ => "seeded in place.",
                           });
            return report;
        }
    }

    /// <summary>
    /// PrepareDummyTemplate: builds the template unless one with this key is sealed, then makes its spare, so that the
    /// next reset only renames. Another session building the same template is left to it.
    /// </summary>
    public async Task PrepareTemplateAsync(DatabaseTarget target, int rows, int seed, CancellationToken cancellation)
    {
        if (target.ResetRefusal is { } refusal)
            throw new BuildFailure(refusal);
        var clock = Stopwatch.StartNew();
        await using var maintenance = await DatabaseConnector.OpenAsync(target with { Url = target.Url.ForDatabase(MaintenanceDatabase) }, cancellation);
        var databases = new DummyDatabases(target, maintenance);
        var template = new DummyTemplate(databases, DummyTemplate.KeyFor(migrator.Scripts, target.Environment, rows, seed));
        await using var builderLock = await DatabaseConnector.GuardAsync("Taking the template builder's lock", target, () => template.TryHoldBuilderLockAsync(cancellation));
        if (builderLock is null)
        {
            output.Info($"Another session is building the template {template.Name}; leaving it to that one.");
            return;
        }

        var state = await DatabaseConnector.GuardAsync($"Checking the template {template.Name}", target, () => template.ReadAsync(cancellation));
        var build = await DatabaseConnector.GuardAsync($"Checking the template {template.Name}", target, () => template.WhyBuildAsync(state, cancellation));
        if (build is not null)
        {
            output.Info($"Building the template {template.Name}: {build}.");
            await DatabaseConnector.GuardAsync($"Building the template {template.Name}", target, () => template.BuildAsync(migrator, rows, seed, cancellation));
            output.Info($"Seeded {rows:N0} fake notes (seed {seed}) into the template {template.Name} in {clock.ElapsedMilliseconds} ms.");
            state = await template.ReadAsync(cancellation);
        }

        if (!state.SpareReady)
        {
            await DatabaseConnector.GuardAsync($"Copying the template into the spare {databases.Spare}", target, async () =>
            {
                await databases.DropLeftoverAsync(databases.Spare, cancellation);
                await databases.ExecuteAsync(cancellation, template.SpareSql);
            });
        }

        output.Success($"The template {template.Name} and its spare {databases.Spare} are ready ({clock.ElapsedMilliseconds} ms): the next reset of the {target.Describe()} swaps the spare in.");
    }

    private async Task<ResetReport> ResetBesideAsync(
        NpgsqlConnection connection, DummyDatabases databases, MaintenanceSessions spareSessions, string? claim, int rows, int seed, CancellationToken cancellation)
    {
        var target = databases.Dummy;
        var template = new DummyTemplate(databases, DummyTemplate.KeyFor(migrator.Scripts, target.Environment, rows, seed));
        var state = await DatabaseConnector.GuardAsync($"Checking the template {template.Name}", target, () => template.ReadAsync(cancellation));
        if (state.Sealed)
            return await SwapFromTemplateAsync(connection, databases, template, state, spareSessions, claim, rows, seed, cancellation);

        if (state.BeingBuilt)
            output.Info($"The template {template.Name} is being built by another run: seeding the {target.Describe()} without it.");
        else
            output.Info($"Building the template {template.Name} after this reset: {await DatabaseConnector.GuardAsync($"Checking the template {template.Name}", target, () => template.WhyBuildAsync(state, cancellation))}.");

        var clock = Stopwatch.StartNew();
        var migration = await SeedNextAsync(databases, rows, seed, cancellation);
        output.Info($"Seeded {rows:N0} fake notes (seed {seed}) into {databases.Next} in {clock.ElapsedMilliseconds} ms.");
        var ended = await SwapAsync(connection, databases, databases.Next, claim, cancellation);
        var serverWork = await LeaveToServerAsync(databases, spareSessions, [$"DROP DATABASE {DummyDatabases.Quoted(databases.Old)} WITH (FORCE)"], cancellation);
        if (!state.BeingBuilt)
        {
            var how = startTemplateBuild is null
                ? await BuildTemplateHereAsync(target, rows, seed, cancellation)
                : await startTemplateBuild(target, rows, seed, cancellation);
            output.Info($"The template {template.Name} and its spare are built {how}; the next reset swaps the spare in.");
        }

        return new ResetReport(claim is not null, rows, seed, migration, ResetPath.Seeded, ended, serverWork);
    }

    private async Task<ResetReport> SwapFromTemplateAsync(
        NpgsqlConnection connection, DummyDatabases databases, DummyTemplate template, TemplateState state, MaintenanceSessions spareSessions, string? claim, int rows, int seed,
        CancellationToken cancellation)
    {
        var target = databases.Dummy;
        var replacement = databases.Spare;
        if (!state.SpareReady)
        {
            var clock = Stopwatch.StartNew();
            replacement = databases.Next;
            await DatabaseConnector.GuardAsync($"Cloning {template.Name} into {databases.Next}", target, async () =>
            {
                await databases.DropLeftoverAsync(databases.Next, cancellation);
                await databases.ExecuteAsync(cancellation, template.CloneSql(databases.Next));
            });
            output.Info($"Cloned {template.Name} (key matches: migrations, seed and rows are unchanged) into {databases.Next} in {clock.ElapsedMilliseconds} ms: no spare was ready.");
        }
        else
        {
            output.Info($"The template {template.Name} matches (migrations, seed and rows are unchanged) and its spare is ready.");
        }

        var ended = await SwapAsync(connection, databases, replacement, claim, cancellation);
        var serverWork = await LeaveToServerAsync(databases, spareSessions, [$"DROP DATABASE {DummyDatabases.Quoted(databases.Old)} WITH (FORCE)", template.SpareSql], cancellation);
        var none = new MigrationReport(DryRun: false, Applied: [], Pending: [], Unknown: []);
        return new ResetReport(claim is not null, rows, seed, none, state.SpareReady ? ResetPath.SwappedSpare : ResetPath.ClonedTemplate, ended, serverWork);
    }

    // A seeding that fails leaves the dummy database as it was: the half-seeded one never had its name.
    private async Task<MigrationReport> SeedNextAsync(DummyDatabases databases, int rows, int seed, CancellationToken cancellation)
    {
        var target = databases.Dummy;
        await DatabaseConnector.GuardAsync($"Making room for {databases.Next}", target, () => databases.DropLeftoverAsync(databases.Next, cancellation));
        try
        {
            return await DatabaseConnector.GuardAsync($"Seeding {databases.Next}", target, () => databases.SeedFreshAsync(databases.Next, migrator, rows, seed, cancellation));
        }
        catch (BuildFailure failure)
        {
            await DatabaseConnector.GuardAsync($"Dropping {databases.Next} after a failed seeding", target,
                () => databases.ExecuteAsync(CancellationToken.None, $"DROP DATABASE IF EXISTS {DummyDatabases.Quoted(databases.Next)} WITH (FORCE)"));
            throw new BuildFailure($"{failure.Message} The {target.Describe()} was left as it was.", failure.ExitCode);
        }
    }

    private async Task<long> SwapAsync(NpgsqlConnection connection, DummyDatabases databases, string replacement, string? claim, CancellationToken cancellation)
    {
        var target = databases.Dummy;
        var ended = await DatabaseConnector.GuardAsync($"Ending the connections to the {target.Describe()} and swapping {replacement} in", target,
            () => databases.SwapInAsync(replacement, connection, cancellation));
        output.Info(claim is null
            ? $"Ended {Connections(ended)} to the {target.Describe()}, then swapped {replacement} in; the old one is dropped by the server."
            : $"Claimed the {target.Describe()} as a dummy database for {target.Environment} ({claim}): ended {Connections(ended)} to it, then swapped {replacement} in.");
        return ended;
    }

    // The sessions opened beside the first carry it; without them the work is done here and now.
    private static async Task<Task> LeaveToServerAsync(DummyDatabases databases, MaintenanceSessions sessions, IReadOnlyList<string> statements, CancellationToken cancellation)
    {
        var work = new List<(NpgsqlConnection, string)>();
        foreach (var statement in statements)
        {
            if (await sessions.TakeAsync() is { } session)
                work.Add((session, statement));
            else
                await DatabaseConnector.GuardAsync("Finishing the reset", databases.Dummy, () => databases.ExecuteAsync(cancellation, statement));
        }

        return await ServerSideWork.StartAsync(databases.Maintenance, work, cancellation);
    }

    private async Task<string> BuildTemplateHereAsync(DatabaseTarget target, int rows, int seed, CancellationToken cancellation)
    {
        await PrepareTemplateAsync(target, rows, seed, cancellation);
        return "in this run";
    }

    private async Task<ResetReport> ResetInPlaceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseTarget target, string? claim, string why, int rows, int seed, CancellationToken cancellation)
    {
        output.Info($"Resetting the {target.Describe()} in place, without a template: {why}.");
        var pools = DummyNotes.PoolsAsync(seed);
        var ended = await DatabaseConnector.GuardAsync("Ending the other connections and dropping the dummy schemas", target, async () =>
        {
            if (claim is not null)
                await DummyMarker.ClaimAsync(connection, transaction, target.Environment, cancellation);
            var count = await DummyDatabases.EndSessionsAsync(connection, transaction, target.Url.Database, connection.ProcessID, cancellation);
            await DropSchemasAsync(connection, transaction, cancellation);
            await transaction.CommitAsync(cancellation);
            return count;
        });
        output.Info(claim is not null
            ? $"Claimed the {target.Describe()} as a dummy database for {target.Environment} ({claim}): ended {Connections(ended)} to it, then created its schema."
            : $"Ended {Connections(ended)} to the {target.Describe()}, then dropped and recreated its schema.");

        var migration = await migrator.MigrateLockedAsync(connection, target, cancellation);
        await DatabaseConnector.GuardAsync("Seeding fake notes", target, () => DummyNotes.SeedAsync(connection, rows, pools, cancellation));
        return new ResetReport(claim is not null, rows, seed, migration, ResetPath.InPlace, ended, Task.CompletedTask);
    }

    // The template path needs a login that may create databases and rename this one, and a second database to do it from.
    private static async Task<string?> WhyInPlaceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseTarget target, MaintenanceSessions maintenance, CancellationToken cancellation)
    {
        await using (var rights = new NpgsqlCommand(
                         """
                         SELECT CASE WHEN NOT (r.rolsuper OR r.rolcreatedb) THEN format('the login %s may not create databases (CREATEDB)', current_user)
                                     WHEN NOT pg_has_role(d.datdba, 'MEMBER') THEN format('the login %s does not own the database', current_user) END
                         FROM pg_database d, pg_roles r WHERE d.datname = current_database() AND r.rolname = current_user
                         """, connection, transaction))
        {
            if (await DatabaseConnector.GuardAsync("Checking the login's rights", target, () => rights.ExecuteScalarAsync(cancellation)) is string missing)
                return missing;
        }

        return await maintenance.FirstProblemAsync() is { } problem
            ? $"the {MaintenanceDatabase} database, from which it would create and rename databases, cannot be reached ({problem})"
            : null;
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
