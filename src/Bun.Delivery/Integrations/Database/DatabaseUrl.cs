using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Postgres;
using Npgsql;

namespace Bun.Delivery.Integrations.Database;

/// <summary>
/// The value of <c>--database-url</c>, read by <see cref="PostgresUrl"/>, the parser Bun.Api reads its setting with too:
/// a <c>postgres://</c> URL or an Npgsql keyword string. Its text is a secret: <see cref="Describe"/> is what messages
/// show, and no error quotes the value.
/// </summary>
public sealed class DatabaseUrl
{
    private readonly NpgsqlConnectionStringBuilder _settings;

    // The build reads only built-in types (text, integers, booleans, timestamps), so its connections skip Npgsql's
    // load of the server's type catalog: a round trip and some 600 rows for every new connection string.
    private readonly Lazy<NpgsqlDataSource> _connections;

    private DatabaseUrl(NpgsqlConnectionStringBuilder settings)
    {
        settings.ApplicationName ??= "bun-build";
        _settings = settings;
        _connections = new Lazy<NpgsqlDataSource>(() => new NpgsqlDataSourceBuilder(settings.ConnectionString)
            .ConfigureTypeLoading(types => types.EnableTypeLoading(false))
            .Build());
    }

    public string Host => _settings.Host!;
    public int Port => _settings.Port;
    public string Database => _settings.Database ?? _settings.Username ?? "postgres";
    public string? Username => _settings.Username;

    /// <summary>Where the database is, without the password: <c>bun@db.example.com:5432/bun_dev</c>.</summary>
    public string Describe() => $"{(Username is null ? "" : Username + "@")}{Host}:{Port}/{Database}";

    internal string ConnectionString => _settings.ConnectionString;

    internal NpgsqlConnection CreateConnection() => _connections.Value.CreateConnection();

    /// <summary>Closes the pooled sessions no one is using, so that the server sees them gone.</summary>
    internal void ClosePooledSessions()
    {
        if (_connections.IsValueCreated)
            _connections.Value.Clear();
    }

    /// <summary>The same server and login on another database, unpooled: its session is gone once it is closed.</summary>
    internal DatabaseUrl ForDatabase(string database) =>
        new(new NpgsqlConnectionStringBuilder(_settings.ConnectionString) { Database = database, Pooling = false });

    /// <summary>Parses the value and registers every form of its password with the output's masker, first.</summary>
    public static DatabaseUrl Parse(string? value, BuildOutput output)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = PostgresUrl.Parse(value, output.RegisterSecret);
        }
        catch (PostgresUrlException exception)
        {
            throw BuildFailure.BadInput($"--database-url (BUN_DATABASE_URL) {exception.Problem}");
        }

        var url = new DatabaseUrl(settings);
        output.RegisterSecret(url.ConnectionString);
        return url;
    }
}
