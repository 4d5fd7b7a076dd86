using Npgsql;

namespace Bun.Postgres;

/// <summary>
/// Reads PostgreSQL connection settings in either form people hand out: a <c>postgres://user:password@host:port/database</c>
/// URL (hosting providers, compose files) or an Npgsql keyword string (<c>Host=…;Database=…</c>, what a .NET service is
/// configured with). The build and the service both read their database setting here, so one secret serves both.
/// </summary>
public static class PostgresUrl
{
    public const string Expected = "a postgres://user:password@host:port/database URL or an Npgsql connection string (Host=…;Database=…)";

    // libpq URL parameters that Npgsql spells differently; any other parameter must be an Npgsql keyword.
    private static readonly Dictionary<string, string> LibpqParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
    };

    /// <summary>The settings the value names. No problem it reports quotes the value, which is a secret.</summary>
    /// <param name="secret">Called with each form of the secret as soon as it is known: the raw value, then the password as written and decoded.</param>
    /// <exception cref="PostgresUrlException">The value is empty, in neither form, or names no host.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string? value, Action<string>? secret = null)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new PostgresUrlException($"is empty; give {Expected}.");
        secret?.Invoke(value);
        var settings = value.Contains("://", StringComparison.Ordinal) ? FromUrl(value.Trim(), secret) : FromKeywords(value);
        if (settings.Password is { } password)
            secret?.Invoke(password);
        if (string.IsNullOrWhiteSpace(settings.Host))
            throw new PostgresUrlException($"names no host; give {Expected}.");
        return settings;
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string value, Action<string>? secret)
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
            secret?.Invoke(userInfo[1]);
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
                throw new PostgresUrlException($"has the parameter '{name}', which neither libpq's sslmode/application_name/connect_timeout nor Npgsql knows.");
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

    private static PostgresUrlException NotUnderstood(string why) =>
        new($"is not {Expected}: {why}. The value is a secret, so it is not shown.");
}

/// <summary>A database setting that <see cref="PostgresUrl"/> cannot read.</summary>
/// <param name="problem">What is wrong, as the rest of a sentence that starts with the setting's name: "is empty; give …".</param>
public sealed class PostgresUrlException(string problem) : FormatException(problem)
{
    public string Problem => Message;
}
