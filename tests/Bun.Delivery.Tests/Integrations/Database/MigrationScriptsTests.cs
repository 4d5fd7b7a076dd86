using Bun.Delivery.Integrations.Database;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Integrations.Database;

public sealed class MigrationScriptsTests : IDisposable
{
    private readonly MigrationFolder _folder = new();

    [Fact]
    public void Scripts_apply_in_the_order_of_their_number()
    {
        _folder.Add("0002_second.sql", "SELECT 2;").Add("0001_first.sql", "SELECT 1;").Add("README.md", "not a migration");

        _folder.Scripts.All.Select(script => script.Name).ShouldBe(["0001_first.sql", "0002_second.sql"]);
    }

    [Fact]
    public void A_script_without_a_number_is_bad_input()
    {
        _folder.Add("0001_first.sql", "SELECT 1;").Add("add_tags.sql", "SELECT 2;");

        var failure = Should.Throw<BuildFailure>(() => _folder.Scripts);

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldStartWith("Migration add_tags.sql is not named NNNN_description.sql");
    }

    [Fact]
    public void Two_scripts_with_one_number_are_bad_input()
    {
        _folder.Add("0002_tags.sql", "SELECT 1;").Add("0002_titles.sql", "SELECT 2;");

        Should.Throw<BuildFailure>(() => _folder.Scripts).Message
            .ShouldBe("Migrations 0002_tags.sql and 0002_titles.sql share the number 0002; give the newer one the next free number.");
    }

    [Fact]
    public void The_checksum_ignores_line_endings_but_not_content()
    {
        var unix = new MigrationScript("0001_a.sql", "SELECT 1;\nSELECT 2;\n");

        new MigrationScript("0001_a.sql", "SELECT 1;\r\nSELECT 2;\r\n").Checksum.ShouldBe(unix.Checksum);
        new MigrationScript("0001_a.sql", "SELECT 1;\nSELECT 3;\n").Checksum.ShouldNotBe(unix.Checksum);
    }

    public void Dispose() => _folder.Dispose();
}
