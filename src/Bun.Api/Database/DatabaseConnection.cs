using Bun.Postgres;
using Npgsql;

namespace Bun.Api.Database;

/// <summary>
/// The optional PostgreSQL connection: <c>ConnectionStrings:Bun</c>, else <c>BUN_DATABASE_URL</c>, read by the parser the
/// build reads <c>--database-url</c> with (<see cref="PostgresUrl"/>), so one secret serves both. None configured is a
/// normal state: the service still serves and reports itself degraded. A value that cannot be read stops the start.
/// </summary>
public sealed class DatabaseConnection(NpgsqlDataSource? dataSource)
{
    public NpgsqlDataSource? DataSource => dataSource;
    public bool IsConfigured => dataSource is not null;

    public static DatabaseConnection From(IConfiguration configuration)
    {
        var (name, configured) = ("ConnectionStrings:Bun", configuration.GetConnectionString("Bun"));
        if (string.IsNullOrWhiteSpace(configured))
            (name, configured) = ("BUN_DATABASE_URL", configuration["BUN_DATABASE_URL"]);
        return new DatabaseConnection(string.IsNullOrWhiteSpace(configured) ? null : NpgsqlDataSource.Create(Settings(name, configured)));
    }

    internal static NpgsqlConnectionStringBuilder Settings(string name, string configured)
    {
        try
        {
            var settings = PostgresUrl.Parse(configured);
            settings.ApplicationName ??= "bun-api";
            return settings;
        }
        catch (PostgresUrlException exception)
        {
            throw new InvalidOperationException($"{name} {exception.Problem}", exception);
        }
    }
}
