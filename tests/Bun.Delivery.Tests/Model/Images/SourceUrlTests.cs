using Bun.Delivery.Model.Images;

namespace Bun.Delivery.Tests.Model.Images;

public sealed class SourceUrlTests
{
    [Theory]
    [InlineData("https://github.com/bun-org/bun.git", "https://github.com/bun-org/bun")]
    [InlineData("https://github.com/bun-org/bun", "https://github.com/bun-org/bun")]
    [InlineData("https://x-access-token:ghp_secret@github.com/bun-org/bun.git", "https://github.com/bun-org/bun")]
    [InlineData("git@github.com:bun-org/bun.git", "https://github.com/bun-org/bun")]
    [InlineData("ssh://git@GitHub.com:22/bun-org/bun.git", "https://github.com/bun-org/bun")]
    [InlineData("https://git.example.com:8443/team/bun/", "https://git.example.com:8443/team/bun")]
    [InlineData("http://127.0.0.1:3000/team/bun.git", "http://127.0.0.1:3000/team/bun")]
    public void A_remote_becomes_the_web_address_of_the_repository_without_credentials(string remote, string expected) =>
        SourceUrl.FromRemote(remote).ShouldBe(expected);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/srv/git/bun.git")]
    [InlineData("../bun")]
    [InlineData("file:///srv/git/bun.git")]
    [InlineData("C:\\src\\bun")]
    public void A_remote_a_browser_cannot_open_gives_no_address(string? remote) =>
        SourceUrl.FromRemote(remote).ShouldBeNull();

    [Fact]
    public void GitHub_Actions_names_the_repository_with_its_server()
    {
        var variables = new Dictionary<string, string> { ["GITHUB_SERVER_URL"] = "https://github.com", ["GITHUB_REPOSITORY"] = "bun-org/bun" };

        SourceUrl.FromGitHubActions(variables).ShouldBe("https://github.com/bun-org/bun");
        SourceUrl.FromGitHubActions(new Dictionary<string, string>()).ShouldBeNull();
    }

    [Fact]
    public void Labels_leave_out_the_source_when_it_is_unknown()
    {
        var labels = ImageLabels.For("1a2b3c4d", null, new ImageTag("main-1a2b3c4"), DateTimeOffset.UnixEpoch);

        labels.Keys.ShouldBe([ImageLabels.Revision, ImageLabels.Version, ImageLabels.Created], ignoreOrder: true);
    }
}
