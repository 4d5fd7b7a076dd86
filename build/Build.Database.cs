using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Databases;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;

namespace Bun.Build;

public sealed partial class Build
{
    [Parameter("The database of --environment, or of the environment a deploy target deploys to (migrated first): a postgres:// URL or an Npgsql connection string."), Secret]
    public string? DatabaseUrl { get; set; }

    [Parameter("local only: 'real' works on a real database (explicit opt-in; no destructive target may then run).")]
    public DatabaseKind? Database { get; set; }

    [Parameter("Change nothing, only say what would change: MigrateDatabase lists the pending scripts, CleanupFeatureImages the tags it would delete.")]
    public bool DryRun { get; set; }

    [Parameter("ResetDummyDatabase: how many fake notes to seed.")]
    public int Rows { get; set; } = DatabaseActions.DefaultRows;

    [Parameter("ResetDummyDatabase: when a reset that finds no template builds it and its spare: 'background' (default; in a process of its own, after the reset) or 'wait' (before the reset returns).")]
    public TemplateBuildMode DummyTemplate { get; set; } = TemplateBuildMode.Background;

    // ResetDummyDatabase defaults to the developer's own database.
    private DeliveryEnvironment DatabaseEnvironment => SelectedEnvironment ?? Environments.Local;

    public Target MigrateDatabase => _ => _
        .Description("Runs forward-only migrations (db/migrations) on the database of --environment; --dry-run lists them.")
        .Group("database")
        .Requires(() => Environment)
        .Requires(() => DatabaseUrl)
        .Needs(() => [Databases.UrlParses("no --database-url")])
        .Guard(() => Guards.MigrateDatabase(nameof(MigrateDatabase), SelectedEnvironment, Context, EnvironmentTable))
        .Executes(async cancellation => await Databases.MigrateAsync(DatabaseEnvironment, DryRun, cancellation));

    public Target ResetDummyDatabase => _ => _
        .Description($"Drops, recreates, migrates and seeds the dummy database of --environment ({Environments.Describe(EnvironmentTable.WithDummyDatabase)}; default local).")
        .Group("database")
        .Requires(() => DatabaseUrl)
        .Needs(() => [Databases.UrlParses("no --database-url"), DatabaseActions.RowsInRange(Rows)])
        .Guard(() => Guards.ResetDummyDatabase(nameof(ResetDummyDatabase), DatabaseEnvironment, Context, EnvironmentTable)
                     ?? DatabaseActions.ResetRefusal(DatabaseEnvironment, Database))
        .Executes(async cancellation => await Databases.ResetDummyAsync(DatabaseEnvironment, Rows, DummyTemplate, new DetachedTemplateBuild(RootDirectory, GetType().Assembly), cancellation));

    public Target PrepareDummyTemplate => _ => _
        .Description("Builds the dummy database's seeded template and a ready clone of it, so the next ResetDummyDatabase only swaps; a reset that finds none starts this itself.")
        .Group("database")
        .Requires(() => DatabaseUrl)
        .Needs(() => [Databases.UrlParses("no --database-url"), DatabaseActions.RowsInRange(Rows)])
        .Guard(() => Guards.ResetDummyDatabase(nameof(PrepareDummyTemplate), DatabaseEnvironment, Context, EnvironmentTable)
                     ?? DatabaseActions.ResetRefusal(DatabaseEnvironment, Database))
        .Executes(async cancellation => await Databases.PrepareDummyTemplateAsync(DatabaseEnvironment, Rows, cancellation));

    private DatabaseActions Databases => new(RootDirectory, DatabaseUrl, Database, Log);
}
