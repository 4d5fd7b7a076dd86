using Bun.Api.Database;
using Npgsql;

namespace Bun.Api.Endpoints;

public sealed record DatabaseHealth(string State, string? Detail);

public sealed record HealthReport(string Status, DatabaseHealth Database);

public static class HealthEndpoints
{
    private static readonly TimeSpan DatabaseProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>200 while the service can serve; with no database configured it is degraded, not down.</summary>
    public static void MapHealth(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Bun.Api.Health");
        app.MapGet("/healthz", (DatabaseConnection database, CancellationToken cancellation) => ProbeAsync(database, logger, cancellation));
    }

    private static async Task<IResult> ProbeAsync(DatabaseConnection database, ILogger logger, CancellationToken cancellation)
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
            // The probe is anonymous: the reason goes to the log, never into the answer.
            logger.LogWarning(exception, "The database probe failed");
            return Results.Json(new HealthReport("unhealthy", new DatabaseHealth("down", DatabaseErrors.Unavailable)), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    public static void MapVersion(this WebApplication app) => app.MapGet("/version", (BuildInfo info) => info);
}
