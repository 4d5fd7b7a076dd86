using Npgsql;

namespace Bun.Api.Database;

/// <summary>
/// What a caller is told when the database fails a request. Callers are anonymous, so they never see Npgsql's or
/// PostgreSQL's text (it names hosts, tables, constraints and values); the service's log gets the whole exception.
/// </summary>
public static class DatabaseErrors
{
    public const string Unavailable = "The database is unavailable; try again later.";

    public static IResult ToResult(NpgsqlException exception, ILogger logger)
    {
        var (status, detail) = Classify(exception);
        logger.Log(status >= 500 ? LogLevel.Error : LogLevel.Information, exception, "The database failed a request; the caller got {Status}", status);
        return Results.Problem(detail, statusCode: status);
    }

    internal static (int Status, string Detail) Classify(NpgsqlException exception) => exception switch
    {
        // Class 23, integrity constraints: the request broke a rule of the schema.
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } =>
            (StatusCodes.Status409Conflict, "The database already holds a record with these values."),
        PostgresException { SqlState: var state } when state.StartsWith("23", StringComparison.Ordinal) =>
            (StatusCodes.Status400BadRequest, "The database refused a value: one is missing, out of range or breaks a rule of the schema."),
        // Class 22, data exceptions: a value that the column cannot hold (too long, or a character PostgreSQL cannot store).
        PostgresException { SqlState: var state } when state.StartsWith("22", StringComparison.Ordinal) =>
            (StatusCodes.Status400BadRequest, "The database refused a value: one is too long or holds a character it cannot store."),
        // Connection, login, missing database, resources, shutdown: the database cannot serve now.
        PostgresException { SqlState: var state } when state[..2] is "08" or "28" or "3D" or "53" or "57" =>
            (StatusCodes.Status503ServiceUnavailable, Unavailable),
        // Any other PostgreSQL error is the service's own fault (its SQL or a schema it did not expect).
        PostgresException =>
            (StatusCodes.Status500InternalServerError, "The service failed to use its database."),
        // No answer at all: refused, unreachable, timed out.
        _ => (StatusCodes.Status503ServiceUnavailable, Unavailable),
    };
}
