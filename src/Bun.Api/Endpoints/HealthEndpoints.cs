using Bun.Api.Database;
using Npgsql;

namespace Bun.Api.Endpoints;

public sealed record DatabaseHealth(string State, string? Detail);

public sealed record HealthReport(string Status, DatabaseHealth Database);

public static class HealthEndpoints
{
    private static readonly TimeSpan DatabaseProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>200 while the service can serve; with no database configured it is degraded, not down.</summary>
    public static void MapHealth(this WebApplication app) => app.MapGet("/healthz", async (DatabaseConnection database, CancellationToken cancellation) =>
    {
        if (database.DataSource is not { } source)
            return Results.Ok(new HealthReport("degraded", new DatabaseHealth("not-configured", "No database is configured: set ConnectionStrings:Bun or BUN_DATABASE_URL.")));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(DatabaseProbeTimeout);
        try
        {
            await using var command = source.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return Results.Ok(new HealthReport("healthy", new DatabaseHealth("up", null)));
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            return Results.Json(new HealthReport("unhealthy", new DatabaseHealth("down", exception.Message)), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    });

    public static void MapVersion(this WebApplication app) => app.MapGet("/version", (BuildInfo info) => info);
}
