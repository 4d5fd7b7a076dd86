using Npgsql;

namespace Bun.Api.Database;

/// <summary>
/// The optional PostgreSQL connection: <c>ConnectionStrings:Bun</c>, else <c>BUN_DATABASE_URL</c> (keyword form or a
/// <c>postgres://</c> URL). None configured is a normal state: the service still serves and reports itself degraded.
/// </summary>
public sealed class DatabaseConnection(NpgsqlDataSource? dataSource)
{
    public NpgsqlDataSource? DataSource => dataSource;
    public bool IsConfigured => dataSource is not null;

    public static DatabaseConnection From(IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString("Bun");
        if (string.IsNullOrWhiteSpace(configured))
            configured = configuration["BUN_DATABASE_URL"];
        return new DatabaseConnection(string.IsNullOrWhiteSpace(configured) ? null : NpgsqlDataSource.Create(ToKeywordForm(configured)));
    }

    internal static string ToKeywordForm(string connection)
    {
        if (!Uri.TryCreate(connection, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
            return connection;

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length == 2)
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(parts[0])] = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "";
        }

        return builder.ConnectionString;
    }
}
