using Bun.Delivery.Integrations.Database;
using Bun.Pipeline.Failures;
using Npgsql;

namespace Bun.Delivery.Tests.Integrations.Database;

public sealed class DatabaseUrlTests
{
    private readonly CapturedOutput _log = new();

    [Fact]
    public void A_postgres_url_gives_host_port_database_and_the_decoded_credentials()
    {
        var url = DatabaseUrl.Parse("postgres://bun%20user:p%40ss%3Aword%2F@db.example.com:6543/bun_dev?sslmode=require", _log.Output);

        var settings = new NpgsqlConnectionStringBuilder(url.ConnectionString);
        (settings.Host, settings.Port, settings.Database, settings.Username, settings.Password, settings.SslMode)
            .ShouldBe(("db.example.com", 6543, "bun_dev", "bun user", "p@ss:word/", SslMode.Require));
        url.Describe().ShouldBe("bun user@db.example.com:6543/bun_dev");
    }

    [Fact]
    public void An_npgsql_keyword_string_is_accepted_as_it_is()
    {
        var url = DatabaseUrl.Parse("Host=127.0.0.1;Port=5433;Database=notes;Username=bun;Password=secret", _log.Output);

        url.Describe().ShouldBe("bun@127.0.0.1:5433/notes");
        new NpgsqlConnectionStringBuilder(url.ConnectionString).Password.ShouldBe("secret");
    }

    [Theory]
    [InlineData("hunter2-is-not-a-url", "neither :// nor Keyword=value")]
    [InlineData("mysql://root:hunter2@db/notes", "it is a URL, but not a postgres:// or postgresql:// one")]
    [InlineData("Host=db;Passwd=hunter2", "Npgsql rejects it")]
    [InlineData("postgres://bun:hunter2@/notes", "does not parse as one")]
    [InlineData("Database=notes;Username=bun;Password=hunter2", "names no host")]
    public void A_value_that_is_not_a_database_url_is_bad_input_and_never_echoed(string value, string reason)
    {
        var failure = Should.Throw<BuildFailure>(() => DatabaseUrl.Parse(value, _log.Output));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain(reason);
        failure.Message.ShouldNotContain("hunter2");
        failure.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Every_form_of_the_password_is_masked_in_output()
    {
        var value = "postgres://bun:p%40ss%3Aword@db:5432/notes";
        DatabaseUrl.Parse(value, _log.Output);

        _log.Output.Info($"raw {value} | decoded p@ss:word | encoded p%40ss%3Aword");

        _log.Text.ShouldBe("raw *** | decoded *** | encoded ***\n");
    }
}
