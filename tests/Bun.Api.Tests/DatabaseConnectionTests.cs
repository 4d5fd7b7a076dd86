using Bun.Api.Database;
using Npgsql;

namespace Bun.Api.Tests;

public sealed class DatabaseConnectionTests
{
    [Fact]
    public void A_postgres_url_becomes_a_connection_string_with_its_parts_decoded()
    {
        var converted = new NpgsqlConnectionStringBuilder(
            DatabaseConnection.ToKeywordForm("postgres://bun%40team:p%3Ass%2Fw@db.internal:6543/notes?sslmode=disable"));

        converted.Host.ShouldBe("db.internal");
        converted.Port.ShouldBe(6543);
        converted.Database.ShouldBe("notes");
        converted.Username.ShouldBe("bun@team");
        converted.Password.ShouldBe("p:ss/w");
        converted.SslMode.ShouldBe(SslMode.Disable);
    }

    [Fact]
    public void A_keyword_connection_string_is_used_as_given() =>
        DatabaseConnection.ToKeywordForm("Host=db;Database=notes").ShouldBe("Host=db;Database=notes");
}
