using System.Collections.Concurrent;
using Bun.Delivery.Integrations.GitOps;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Processes;

namespace Bun.Delivery.Tests.Integrations.GitOps;

/// <summary>How git is authenticated to an https GitOps remote, checked with real git against loopback servers.</summary>
public sealed class GitOpsRemoteTests
{
    private readonly StringWriter _text = new();
    private readonly BuildOutput _output;

    public GitOpsRemoteTests() => _output = new BuildOutput(_text, new OutputStyle(Colour: false, GitHubActions: false), new SecretMasker());

    [Fact]
    public async Task The_token_header_goes_to_the_GitOps_remote_only_never_to_another_host()
    {
        var seen = new ConcurrentBag<(string Server, string? Authorization)>();
        await using var gitops = LoopbackHttpServer.Start(context => Refuse(context, "gitops", seen));
        await using var other = LoopbackHttpServer.Start(context => Refuse(context, "other", seen));
        var remote = GitOpsRemote.From(
            new GitOpsSettings(AbsolutePath.From(Path.GetTempPath()), new Uri(gitops.Url, "bun/gitops.git").ToString(), Token: "t0k"), _output);
        var git = new ProcessRunner(_output);

        await Should.ThrowAsync<ProcessFailedException>(() => git.RunAsync("git", ["ls-remote", remote.Location], environment: remote.Environment, echo: false));
        await Should.ThrowAsync<ProcessFailedException>(() =>
            git.RunAsync("git", ["ls-remote", new Uri(other.Url, "bun/gitops.git").ToString()], environment: remote.Environment, echo: false));

        seen.ShouldContain(("gitops", "Basic " + Convert.ToBase64String("x-access-token:t0k"u8.ToArray())));
        seen.Where(request => request.Server == "other").ShouldNotBeEmpty();
        seen.Where(request => request.Server == "other").ShouldAllBe(request => request.Authorization == null);
    }

    [Fact]
    public void A_short_password_in_the_remote_url_is_a_secret_too()
    {
        GitOpsRemote.From(new GitOpsSettings(AbsolutePath.From(Path.GetTempPath()), "https://bot:k9@git.example.com/gitops.git"), _output);

        _output.Secrets.Apply("password k9").ShouldBe("password ***");
        _output.Secrets.Apply("user bot").ShouldBe("user bot");
    }

    private static Task Refuse(System.Net.HttpListenerContext context, string server, ConcurrentBag<(string, string?)> seen)
    {
        seen.Add((server, context.Request.Headers["Authorization"]));
        context.Response.StatusCode = 404;
        context.Response.Close();
        return Task.CompletedTask;
    }
}
