using System.Text;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;

namespace Bun.Delivery.Integrations.GitOps;

/// <summary>
/// The GitOps repository's location without credentials, plus the environment that authenticates git to it. A token
/// (or a password written in the URL) travels in an <c>http.&lt;url&gt;.extraHeader</c> set through <c>GIT_CONFIG_*</c>
/// variables, so it never appears in a command line, a remote URL saved on disk, or an error, and git sends it to the
/// GitOps remote's URL only, never to another host a redirect points at.
/// </summary>
/// <param name="Location">How git reaches the repository and how messages name it.</param>
internal sealed record GitOpsRemote(string Location, IReadOnlyDictionary<string, string?> Environment)
{
    public static GitOpsRemote From(GitOpsSettings settings, BuildOutput output)
    {
        var given = settings.Repository;
        if (string.IsNullOrWhiteSpace(given))
            return new GitOpsRemote(settings.LocalRepository, Quiet);
        if (!LooksLikeUrl(given))
        {
            var path = AbsolutePath.From(given, settings.RootDirectory);
            return Directory.Exists(path)
                ? new GitOpsRemote(path, Quiet)
                : throw BuildFailure.BadInput(
                    $"--gitops-repo '{given}' is neither a URL nor an existing directory. Give the GitOps repository's URL " +
                    $"(https://…, ssh://… or git@host:path) or a path to a git repository, or leave it out to use {settings.LocalRepository}.");
        }

        if (!Uri.TryCreate(given, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            if (!string.IsNullOrEmpty(settings.Token))
                output.Warning($"The GitOps token is not used for {given}: SSH remotes authenticate with the SSH agent or key.");
            return new GitOpsRemote(given, Quiet);
        }

        var (user, secret) = Credentials(uri, settings.Token);
        output.RegisterSecret(settings.Token);
        output.RegisterSecret(uri.UserInfo.Length > 0 ? given : null);
        // The password, or a token written as the user name (https://<token>@host/…), whatever its length.
        var userInfo = uri.UserInfo.Split(':', 2);
        output.RegisterSecret(Uri.UnescapeDataString(userInfo[^1]));
        var location = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString();
        if (secret is null)
            return new GitOpsRemote(location, Quiet);

        var header = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}"));
        output.RegisterSecret(header);
        return new GitOpsRemote(location, new Dictionary<string, string?>(Quiet)
        {
            ["GIT_CONFIG_COUNT"] = "1",
            ["GIT_CONFIG_KEY_0"] = $"http.{location}.extraHeader",
            ["GIT_CONFIG_VALUE_0"] = $"Authorization: Basic {header}",
        });
    }

    // Git must fail rather than wait for a password nobody will type.
    private static readonly IReadOnlyDictionary<string, string?> Quiet = new Dictionary<string, string?>
    {
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes",
    };

    // GitHub takes a token as the password of any user; x-access-token is the name its own tools use.
    private static (string User, string? Secret) Credentials(Uri uri, string? token)
    {
        var parts = uri.UserInfo.Split(':', 2);
        var user = parts[0].Length > 0 ? Uri.UnescapeDataString(parts[0]) : "x-access-token";
        if (!string.IsNullOrEmpty(token))
            return (user, token);
        if (parts.Length == 2)
            return (user, Uri.UnescapeDataString(parts[1]));
        // https://<token>@host/… : a token written as the user name.
        return parts[0].Length > 0 ? (user, "") : (user, null);
    }

    private static bool LooksLikeUrl(string value) =>
        value.Contains("://", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(value, @"^[\w.-]+@[\w.-]+:");
}
