using System.Diagnostics;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Npgsql;

namespace Bun.Delivery.Integrations.Database;

/// <summary>
/// Applies the forward-only migrations of <c>db/migrations</c>: under an advisory lock, one transaction per script, each
/// recorded in the journal with its checksum; an applied script whose file has changed since stops the run. A real
/// environment's database that carries the dummy marker is refused before anything changes.
/// </summary>
public sealed class DatabaseMigrator(MigrationScripts scripts, BuildOutput output, TimeSpan lockTimeout)
{
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromMinutes(10);

    public DatabaseMigrator(MigrationScripts scripts, BuildOutput output) : this(scripts, output, DefaultLockTimeout)
    {
    }

    internal MigrationScripts Scripts => scripts;

    /// <param name="dryRun">List the pending scripts and change nothing: no lock, no journal table, no script.</param>
    public async Task<MigrationReport> MigrateAsync(DatabaseTarget target, bool dryRun, CancellationToken cancellation)
    {
        await using var connection = await DatabaseConnector.OpenAsync(target, cancellation);
        if (dryRun)
            return await DryRunAsync(connection, target, cancellation);
        await using (await LockAsync(connection, target, cancellation))
            return await MigrateLockedAsync(connection, target, cancellation);
    }

    internal Task<MigrationLock> LockAsync(NpgsqlConnection connection, DatabaseTarget target, CancellationToken cancellation) =>
        DatabaseConnector.GuardAsync("Taking the migration lock", target, () => MigrationLock.AcquireAsync(connection, target, lockTimeout, output, cancellation));

    /// <summary>Migrates on a connection that already holds the lock (a reset migrates inside its own lock).</summary>
    internal async Task<MigrationReport> MigrateLockedAsync(NpgsqlConnection connection, DatabaseTarget target, CancellationToken cancellation)
    {
        await RefuseDummyForRealAsync(connection, target, cancellation);
        var (pending, unknown) = await DatabaseConnector.GuardAsync("Reading the migration journal", target, async () =>
        {
            await MigrationJournal.EnsureExistsAsync(connection, cancellation);
            return Compare(await MigrationJournal.ReadAsync(connection, cancellation), target);
        });

        output.Info(pending.Count == 0
            ? $"The {target.Describe()} is up to date: all {scripts.All.Count} migrations are applied."
            : $"Migrating the {target.Describe()}: {pending.Count} of {scripts.All.Count} migrations to apply.");
        var applied = new List<string>();
        foreach (var script in pending)
        {
            var clock = Stopwatch.StartNew();
            await ApplyAsync(connection, script, applied, target, cancellation);
            applied.Add(script.Name);
            output.Success($"  applied {script.Name} ({clock.ElapsedMilliseconds} ms)");
        }

        return new MigrationReport(DryRun: false, applied, Pending: [], unknown);
    }

    private async Task<MigrationReport> DryRunAsync(NpgsqlConnection connection, DatabaseTarget target, CancellationToken cancellation)
    {
        await RefuseDummyForRealAsync(connection, target, cancellation);
        var (pending, unknown) = Compare(
            await DatabaseConnector.GuardAsync("Reading the migration journal", target, () => MigrationJournal.ReadAsync(connection, cancellation)), target);
        var names = pending.Select(script => script.Name).ToList();
        output.Info(names.Count == 0
            ? $"Dry run: the {target.Describe()} is up to date; nothing would change."
            : $"Dry run: {names.Count} of {scripts.All.Count} migrations would apply to the {target.Describe()}; nothing was changed:"
              + string.Concat(names.Select(name => $"\n  {name}")));
        return new MigrationReport(DryRun: true, Applied: [], names, unknown);
    }

    // A real environment never runs on a dummy database: the marker says the data is generated and may be reset any time.
    // Checked under the lock, so a reset cannot claim the database between the check and the first script.
    private static async Task RefuseDummyForRealAsync(NpgsqlConnection connection, DatabaseTarget target, CancellationToken cancellation)
    {
        if (target.Kind != DatabaseKind.Real)
            return;
        var claim = await DatabaseConnector.GuardAsync("Checking for the dummy marker", target, () => DummyMarker.ReadAsync(connection, null, cancellation));
        if (claim is not null)
            throw new BuildFailure(
                $"Refusing to migrate the {target.Describe()}: it carries the dummy marker ({DummyMarker.Schema}.marker, {claim.Describe()}), and a real environment never runs on a dummy database. "
                + $"Check that --database-url points at {target.Environment}'s real database. Nothing was changed.");
    }

    // Stops on any applied script whose file changed; warns about applied scripts this checkout lacks.
    private (IReadOnlyList<MigrationScript> Pending, IReadOnlyList<string> Unknown) Compare(IReadOnlyDictionary<string, string> journal, DatabaseTarget target)
    {
        var edited = scripts.All.Where(script => journal.TryGetValue(script.Name, out var checksum) && checksum != script.Checksum).ToList();
        if (edited.Count > 0)
            throw new BuildFailure(
                $"{string.Join(", ", edited.Select(script => $"{script.Name} (applied as {journal[script.Name][..12]}, now {script.Checksum[..12]})"))} changed after being applied to the {target.Describe()}. "
                + "Applied migrations are never edited: restore the file (git restore) and put the change in a new migration.");

        var known = scripts.All.Select(script => script.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = journal.Keys.Where(name => !known.Contains(name)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            output.Warning(
                $"The {target.Describe()} has {unknown.Count} applied migration(s) this checkout does not have ({string.Join(", ", unknown)}): it is ahead of this code, as after a rollback. They stay applied; migrations are forward-only.");
        return (scripts.All.Where(script => !journal.ContainsKey(script.Name)).ToList(), unknown);
    }

    // The transaction is disposed before any catch runs, which rolls it back: a failed script leaves no trace, journal included.
    private static async Task ApplyAsync(NpgsqlConnection connection, MigrationScript script, IReadOnlyList<string> appliedBefore, DatabaseTarget target, CancellationToken cancellation)
    {
        SqlStatement? running = null;
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellation);
            foreach (var statement in SqlStatements.Split(script.Sql))
            {
                running = statement;
                await using var command = new NpgsqlCommand(statement.Text, connection, transaction);
                await command.ExecuteNonQueryAsync(cancellation);
            }

            running = null;
            await MigrationJournal.RecordAsync(connection, script, cancellation);
            await transaction.CommitAsync(cancellation);
        }
        catch (PostgresException exception)
        {
            var where = running is null ? "when committing" : $"at line {running.LineAt(exception.Position)}";
            var before = appliedBefore.Count == 0 ? "No earlier migration of this run was applied" : $"Earlier in this run {string.Join(", ", appliedBefore)} applied and stay";
            throw new BuildFailure(
                $"Migration {script.Name} failed {where} on the {target.Describe()}: {exception.MessageText} (SQLSTATE {exception.SqlState}). "
                + $"Its transaction was rolled back and the journal does not record it. {before}. Fix the script and run MigrateDatabase again.");
        }
        catch (NpgsqlException exception)
        {
            throw DatabaseConnector.Failure($"Applying migration {script.Name}", exception, target);
        }
    }
}
