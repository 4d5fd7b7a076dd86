namespace Bun.Delivery.Integrations.Database;

/// <summary>What a migration run found and did.</summary>
/// <param name="Applied">Scripts applied by this run, in order (none in a dry run).</param>
/// <param name="Pending">Scripts a dry run would apply; after a real run, none.</param>
/// <param name="Unknown">Scripts the database has applied that this checkout does not have: the database is ahead of the code, as after a rollback.</param>
public sealed record MigrationReport(bool DryRun, IReadOnlyList<string> Applied, IReadOnlyList<string> Pending, IReadOnlyList<string> Unknown);
