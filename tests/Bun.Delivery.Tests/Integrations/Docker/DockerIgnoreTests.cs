using Bun.Delivery.Integrations.Docker;

namespace Bun.Delivery.Tests.Integrations.Docker;

public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("secret.txt", "secret.txt", true)]
    [InlineData("secret.txt", "app/secret.txt", false)]
    [InlineData("**/secret.txt", "app/secret.txt", true)]
    [InlineData("**/secret.txt", "secret.txt", true)]
    [InlineData("logs", "logs/today.log", true)]
    [InlineData("/logs/", "logs/today.log", true)]
    [InlineData("*.pdb", "Bun.Api.pdb", true)]
    [InlineData("*.pdb", "runtimes/x.pdb", false)]
    [InlineData("app/*/bin", "app/web/bin/x.dll", true)]
    [InlineData("file?.txt", "file1.txt", true)]
    [InlineData("file[0-9].txt", "filea.txt", false)]
    [InlineData("# a comment", "# a comment", false)]
    public void A_pattern_matches_as_the_docker_cli_matches_it(string pattern, string path, bool excluded) =>
        DockerIgnore.Parse(pattern).Excludes(path).ShouldBe(excluded);

    [Fact]
    public void The_last_matching_pattern_wins_so_an_exception_can_bring_a_file_back()
    {
        var ignore = DockerIgnore.Parse("*.md\n!README.md\nREADME*.md\n!README-keep.md\n");

        ignore.Excludes("CHANGELOG.md").ShouldBeTrue();
        ignore.Excludes("README.md").ShouldBeTrue();
        ignore.Excludes("README-keep.md").ShouldBeFalse();
        ignore.Excludes("app.cs").ShouldBeFalse();
    }
}
