using Bun.Delivery.Integrations.Database;

namespace Bun.Delivery.Tests.Integrations.Database;

public sealed class SqlStatementsTests
{
    [Fact]
    public void Splits_at_semicolons_outside_strings_names_comments_and_dollar_quoted_bodies()
    {
        const string script = """
            -- a comment; not a statement
            CREATE TABLE "odd;name" (note text DEFAULT 'it''s; fine');
            /* block /* nested; */ still comment; */
            CREATE FUNCTION f() RETURNS text AS $body$ SELECT 'a;b'; $body$ LANGUAGE sql;
            INSERT INTO "odd;name" VALUES (E'back\'slash;'), ($$x;y$$);
            SELECT 1
            """;

        var statements = SqlStatements.Split(script);

        statements.Select(statement => (statement.Line, statement.Text)).ShouldBe(
        [
            (2, "CREATE TABLE \"odd;name\" (note text DEFAULT 'it''s; fine')"),
            (4, "CREATE FUNCTION f() RETURNS text AS $body$ SELECT 'a;b'; $body$ LANGUAGE sql"),
            (5, "INSERT INTO \"odd;name\" VALUES (E'back\\'slash;'), ($$x;y$$)"),
            (6, "SELECT 1"),
        ]);
    }

    [Fact]
    public void A_position_inside_a_statement_maps_to_its_line_in_the_script()
    {
        var statement = SqlStatements.Split("\n\nSELECT *\nFROM\n  missing;").Single();

        statement.LineAt("SELECT *\nFROM\n  missing".IndexOf("missing", StringComparison.Ordinal) + 1).ShouldBe(5);
        statement.LineAt(0).ShouldBe(3);
    }
}
