using System.Net.Sockets;
using Bun.Pipeline.Failures;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Bun.Delivery.Integrations.Database;

/// <summary>Opens connections to a target's database and turns what can go wrong on the way into one-line failures.</summary>
internal static class DatabaseConnector
{
    // A server that is starting, shutting down or full says so and is worth a few more tries; a refused or
    // unreachable port, a bad password or a missing database is not, so those fail at once.
    private static readonly ResiliencePipeline OpenPolicy = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<PostgresException>(exception => exception.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections),
            MaxRetryAttempts = 5,
            Delay = TimeSpan.FromMilliseconds(250),
            BackoffType = DelayBackoffType.Exponential,
        })
        .Build();

    public static async Task<NpgsqlConnection> OpenAsync(DatabaseTarget target, CancellationToken cancellation)
    {
        var connection = target.Url.CreateConnection();
        try
        {
            await OpenPolicy.ExecuteAsync(async token => await connection.OpenAsync(token), cancellation);
            return connection;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw Failure($"Connecting to the {target.Describe()}", exception, target);
        }
    }

    /// <summary>Runs a step against the database; a database error becomes a <see cref="Failure"/> that says which step it was.</summary>
    public static async Task<T> GuardAsync<T>(string doing, DatabaseTarget target, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (NpgsqlException exception)
        {
            throw Failure(doing, exception, target);
        }
    }

    public static Task GuardAsync(string doing, DatabaseTarget target, Func<Task> step) =>
        GuardAsync(doing, target, async () =>
        {
            await step();
            return true;
        });

    /// <summary>One line: what was being done, what PostgreSQL said, what to do. Built from parts, so it never holds the URL.</summary>
    public static BuildFailure Failure(string doing, Exception exception, DatabaseTarget target)
    {
        var url = target.Url;
        var message = exception switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } postgres =>
                $"{doing} failed: the server refused the login ({postgres.MessageText}). Check the user and password in --database-url (BUN_DATABASE_URL).",
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } postgres =>
                $"{doing} failed: {postgres.MessageText}. Create it (createdb {url.Database}) or fix the database name in --database-url.",
            PostgresException postgres =>
                $"{doing} failed: {postgres.MessageText} (SQLSTATE {postgres.SqlState}).",
            NpgsqlException { InnerException: SocketException socket } =>
                $"{doing} failed: cannot reach {url.Host}:{url.Port} ({socket.SocketErrorCode}). Check that the server runs and that --database-url names the right host and port.",
            NpgsqlException { InnerException: TimeoutException } or TimeoutException =>
                $"{doing} failed: {url.Host}:{url.Port} did not answer in time. Check the host, the port and any firewall between.",
            _ => $"{doing} failed: {FirstLine(exception.Message)}",
        };
        return new BuildFailure(message);
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
