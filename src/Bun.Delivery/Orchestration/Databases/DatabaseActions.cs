using Bun.Delivery.Integrations.Database;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;

namespace Bun.Delivery.Orchestration.Databases;

/// <summary>
/// What the database targets do (docs/database.md), one call each: migrate an environment's database, reset a dummy
/// one, and the migration a deploy runs before its GitOps commit. The scripts are the checkout's <c>db/migrations</c>.
/// </summary>
/// <param name="databaseUrl">The build's <c>--database-url</c>; null when none is configured.</param>
/// <param name="requested">The build's <c>--database</c>: the kind a local run opts into.</param>
public sealed class DatabaseActions(AbsolutePath root, string? databaseUrl, DatabaseKind? requested, BuildOutput output)
{
    public const int DefaultRows = DummyDatabaseReset.DefaultRows;

    /// <summary>Why a reset of <paramref name="environment"/>'s database is refused, or null when it may run.</summary>
    public static string? ResetRefusal(DeliveryEnvironment environment, DatabaseKind? requested) =>
        DatabaseTarget.ResetRefusalFor(environment.Name, environment.Database, requested);

    public Task<MigrationReport> MigrateAsync(DeliveryEnvironment environment, bool dryRun, CancellationToken cancellation) =>
        Migrator().MigrateAsync(Target(environment), dryRun, cancellation);

    /// <param name="template">When a reset that finds no template builds it; <see cref="TemplateBuildMode.Background"/> needs a <paramref name="build"/> that can start itself again.</param>
    public Task<ResetReport> ResetDummyAsync(DeliveryEnvironment environment, int rows, TemplateBuildMode template, DetachedTemplateBuild build, CancellationToken cancellation)
    {
        var start = template == TemplateBuildMode.Background && build.CanStart ? build.StartAsync : (TemplateBuildStart?)null;
        return new DummyDatabaseReset(Migrator(), output, start).ResetAsync(Target(environment), rows, DummyDatabaseReset.DefaultSeed, cancellation);
    }

    public Task PrepareDummyTemplateAsync(DeliveryEnvironment environment, int rows, CancellationToken cancellation) =>
        new DummyDatabaseReset(Migrator(), output).PrepareTemplateAsync(Target(environment), rows, DummyDatabaseReset.DefaultSeed, cancellation);

    /// <summary>--database-url parses, checked before anything runs; <paramref name="withoutUrl"/> says why none is fine.</summary>
    public Need UrlParses(string withoutUrl) => DatabaseNeeds.UrlParses(databaseUrl, output, withoutUrl);

    /// <summary>--rows is a count of notes: 0 or more.</summary>
    public static Need RowsInRange(int rows) => DatabaseNeeds.RowsInRange(rows);

    /// <summary>"The deploy targets migrate their environment's database first when one is configured": null when none is.</summary>
    public Func<DeliveryEnvironment, CancellationToken, Task>? BeforeDeploy =>
        databaseUrl is null ? null : (environment, cancellation) => MigrateAsync(environment, dryRun: false, cancellation);

    private DatabaseTarget Target(DeliveryEnvironment environment) =>
        DatabaseTarget.Resolve(environment.Name, environment.Database, requested, databaseUrl, output);

    private DatabaseMigrator Migrator() => new(MigrationScripts.Load(root / "db" / "migrations"), output);
}
