using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Npgsql;

namespace Bun.Delivery.Integrations.Database;

/// <summary>
/// The value of <c>--database-url</c>: a <c>postgres://user:password@host:port/database</c> URL (what hosting providers
/// and compose files hand out) or an Npgsql keyword string (<c>Host=…;Database=…</c>, what a .NET service is configured
/// with). Its text is a secret: <see cref="Describe"/> is what messages show, and no error quotes the value.
/// </summary>
public sealed class DatabaseUrl
{
    private const string Expected = "a postgres://user:password@host:port/database URL or an Npgsql connection string (Host=…;Database=…)";

    // libpq URL parameters that Npgsql spells differently; any other parameter must be an Npgsql keyword.
    private static readonly Dictionary<string, string> LibpqParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
    };

    private readonly NpgsqlConnectionStringBuilder _settings;

    private DatabaseUrl(NpgsqlConnectionStringBuilder settings)
    {
        settings.ApplicationName ??= "bun-build";
        _settings = settings;
    }

    public string Host => _settings.Host!;
    public int Port => _settings.Port;
    public string Database => _settings.Database ?? _settings.Username ?? "postgres";
    public string? Username => _settings.Username;

    /// <summary>Where the database is, without the password: <c>bun@db.example.com:5432/bun_dev</c>.</summary>
    public string Describe() => $"{(Username is null ? "" : Username + "@")}{Host}:{Port}/{Database}";

    internal string ConnectionString => _settings.ConnectionString;

    /// <summary>Parses the value and registers every form of its password with the output's masker, first.</summary>
    public static DatabaseUrl Parse(string? value, BuildOutput output)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw BuildFailure.BadInput($"--database-url (BUN_DATABASE_URL) is empty; give {Expected}.");
        output.RegisterSecret(value);
        var settings = value.Contains("://", StringComparison.Ordinal) ? FromUrl(value.Trim(), output) : FromKeywords(value);
        output.RegisterSecret(settings.Password);
        if (string.IsNullOrWhiteSpace(settings.Host))
            throw BuildFailure.BadInput($"--database-url names no host; give {Expected}.");
        var url = new DatabaseUrl(settings);
        output.RegisterSecret(url.ConnectionString);
        return url;
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string value, BuildOutput output)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
            throw NotUnderstood("it looks like a URL but does not parse as one");
        if (uri.Scheme is not ("postgres" or "postgresql"))
            throw NotUnderstood("it is a URL, but not a postgres:// or postgresql:// one");

        var settings = new NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']') };
        if (!uri.IsDefaultPort)
            settings.Port = uri.Port;
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
            settings.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length == 2)
        {
            output.RegisterSecret(userInfo[1]);
            settings.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
            settings.Database = database;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, parameterValue) = pair.Split('=', 2) is [var key, var text] ? (Uri.UnescapeDataString(key), Uri.UnescapeDataString(text)) : (pair, "");
            try
            {
                settings[LibpqParameters.GetValueOrDefault(name, name)] = parameterValue;
            }
            catch (ArgumentException)
            {
                throw BuildFailure.BadInput($"--database-url has the parameter '{name}', which neither libpq's sslmode/application_name/connect_timeout nor Npgsql knows.");
            }
        }

        return settings;
    }

    private static NpgsqlConnectionStringBuilder FromKeywords(string value)
    {
        if (!value.Contains('='))
            throw NotUnderstood("it has neither :// nor Keyword=value pairs");
        try
        {
            return new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException)
        {
            // Npgsql's message may quote part of the value, so it is not passed on.
            throw NotUnderstood("Npgsql rejects it as a connection string (an unknown keyword or a malformed pair)");
        }
    }

    private static BuildFailure NotUnderstood(string why) =>
        BuildFailure.BadInput($"--database-url is not {Expected}: {why}. The value is a secret, so it is not shown.");
}
