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

    // ResetDummyDatabase defaults to the developer's own database.
    private DeliveryEnvironment DatabaseEnvironment => SelectedEnvironment ?? Environments.Local;

    public Target MigrateDatabase => _ => _
        .Description("Runs forward-only migrations (db/migrations) on the database of --environment; --dry-run lists them.")
        .Requires(() => Environment)
        .Requires(() => DatabaseUrl)
        .Guard(() => Guards.MigrateDatabase(nameof(MigrateDatabase), SelectedEnvironment, Context, EnvironmentTable))
        .Executes(async cancellation => await Databases.MigrateAsync(DatabaseEnvironment, DryRun, cancellation));

    public Target ResetDummyDatabase => _ => _
        .Description($"Drops, recreates, migrates and seeds the dummy database of --environment ({Environments.Describe(EnvironmentTable.WithDummyDatabase)}; default local).")
        .Requires(() => DatabaseUrl)
        .Guard(() => Guards.ResetDummyDatabase(nameof(ResetDummyDatabase), DatabaseEnvironment, Context, EnvironmentTable)
                     ?? DatabaseActions.ResetRefusal(DatabaseEnvironment, Database))
        .Executes(async cancellation => await Databases.ResetDummyAsync(DatabaseEnvironment, Rows, cancellation));

    private DatabaseActions Databases => new(RootDirectory, DatabaseUrl, Database, Log);
}
