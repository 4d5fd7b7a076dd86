using System.Collections.Specialized;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Bun.Delivery.Tests.Integrations.GitHub;

/// <summary>
/// The repository part: one repository, <see cref="Owner"/>/<see cref="Name"/>, with branches as lists of commits,
/// check runs and commit statuses per commit, pull requests with their reviews, the rules that apply to a branch
/// (from the rulesets of <see cref="GitHubDouble"/>'s settings part) and classic branch protection. Another repository is 404.
/// </summary>
public sealed partial class GitHubDouble
{
    private readonly Dictionary<string, List<string>> _branches = new() { ["main"] = [NewSha()] };
    private readonly Dictionary<string, List<JsonObject>> _checkRuns = new();
    private readonly Dictionary<string, List<JsonObject>> _statuses = new();
    private readonly List<PullRequest> _pulls = [];
    private readonly Dictionary<string, JsonObject> _protection = new();
    private int _nextNumber = 1;

    public string Owner => "bun";
    public string Name => "bun";

    public string Head(string branch)
    {
        lock (_gate)
            return _branches[branch][^1];
    }

    /// <summary>Cuts <paramref name="branch"/> from the head of <paramref name="from"/>; returns that commit.</summary>
    public string CutBranch(string branch, string from = "main")
    {
        lock (_gate)
        {
            _branches[branch] = [.. _branches[from]];
            return _branches[branch][^1];
        }
    }

    /// <summary>Pushes one commit (a new one, or <paramref name="sha"/>) straight to <paramref name="branch"/>, through no pull request.</summary>
    public string Push(string branch, string? sha = null)
    {
        lock (_gate)
        {
            sha ??= NewSha();
            if (!_branches.ContainsKey(branch))
                _branches[branch] = [.. _branches["main"]];
            _branches[branch].Add(sha);
            return sha;
        }
    }

    /// <summary>Merges a new pull request from <paramref name="head"/> into <paramref name="base"/>: its commit lands on the base; returns its number.</summary>
    public int MergePullRequest(string head, string @base, string title, string author = "octocat", string? sha = null)
    {
        lock (_gate)
        {
            sha ??= NewSha();
            if (!_branches.ContainsKey(head))
                _branches[head] = [.. _branches[@base], sha];
            _branches[@base].Add(sha);
            var pull = new PullRequest(_nextNumber++, title, head, @base, author, [sha]) { MergedAt = Now, MergeCommit = sha, State = "closed" };
            _pulls.Add(pull);
            return pull.Number;
        }
    }

    public void Review(int number, string reviewer, string state)
    {
        lock (_gate)
        {
            var pull = _pulls.Single(pull => pull.Number == number);
            pull.Reviews.Add(new JsonObject
            {
                ["id"] = NextId(), ["user"] = User(reviewer), ["state"] = state, ["body"] = "",
                ["submitted_at"] = Now, ["commit_id"] = pull.Commits[^1],
            });
        }
    }

    public void AddCheckRun(string sha, string name, string conclusion)
    {
        lock (_gate)
            List(_checkRuns, sha).Add(new JsonObject
            {
                ["id"] = NextId(), ["name"] = name, ["head_sha"] = sha, ["status"] = "completed", ["conclusion"] = conclusion,
                ["started_at"] = Now, ["completed_at"] = Now, ["app"] = new JsonObject { ["id"] = 15368, ["slug"] = "github-actions", ["name"] = "GitHub Actions" },
            });
    }

    public void AddStatus(string sha, string context, string state)
    {
        lock (_gate)
            List(_statuses, sha).Add(new JsonObject
            {
                ["id"] = NextId(), ["context"] = context, ["state"] = state, ["description"] = "", ["created_at"] = Now, ["updated_at"] = Now,
            });
    }

    /// <summary>Classic branch protection of <paramref name="branch"/> requiring these checks and approvals.</summary>
    public void Protect(string branch, IReadOnlyList<string> checks, int approvals)
    {
        lock (_gate)
            _protection[branch] = new JsonObject
            {
                ["required_status_checks"] = new JsonObject
                {
                    ["strict"] = true,
                    ["contexts"] = new JsonArray(checks.Select(check => (JsonNode?)check).ToArray()),
                },
                ["required_pull_request_reviews"] = new JsonObject { ["required_approving_review_count"] = approvals, ["dismiss_stale_reviews"] = true },
            };
    }

    /// <summary>The pull requests between <paramref name="head"/> and <paramref name="base"/>, open or not.</summary>
    public IReadOnlyList<(int Number, string State, string Title)> PullRequests(string head, string @base)
    {
        lock (_gate)
            return _pulls.Where(pull => pull.Head == head && pull.Base == @base).Select(pull => (pull.Number, pull.State, pull.Title)).ToList();
    }

    private GitHubAnswer? RouteRepository(string method, string[] segments, NameValueCollection query, string path, JsonNode? body)
    {
        if (segments is not ["repos", var owner, var name, .. var rest])
            return null;
        if (owner != Owner || name != Name)
            return Error(404, "Not Found", RestDocumentation);
        return (method, rest) switch
        {
            ("GET", ["commits", var reference, "check-runs"]) => CheckRuns(reference, query, path),
            ("GET", ["commits", var reference, "status"]) => CombinedStatus(reference),
            ("GET", ["commits", var sha, "pulls"]) => Page(_pulls.Where(pull => pull.Commits.Contains(sha)).Select(Json).ToList(), query, path),
            ("GET", ["compare", .. var basehead]) => Compare(string.Join('/', basehead), query, path),
            ("GET", ["pulls"]) => ListPulls(query, path),
            ("GET", ["pulls", var number]) => Pull(number) is { } found ? new GitHubAnswer(200, Json(found)) : Error(404, "Not Found", RestDocumentation),
            ("GET", ["pulls", var number, "reviews"]) => Pull(number) is { } pull ? Page(pull.Reviews, query, path) : Error(404, "Not Found", RestDocumentation),
            ("GET", ["rules", "branches", .. var branch]) => Page(RulesFor(string.Join('/', branch)), query, path),
            ("GET", ["branches", .. var branch, "protection"]) => _protection.TryGetValue(string.Join('/', branch), out var protection)
                ? new GitHubAnswer(200, protection.DeepClone())
                : Error(404, "Branch not protected", "https://docs.github.com/rest/branches/branch-protection#get-branch-protection"),
            _ => RouteDeployments(method, rest, query, path, body) ?? RouteReleases(method, rest, query, path, body) ?? RouteSettings(method, rest, query, path, body),
        };
    }

    private GitHubAnswer CheckRuns(string reference, NameValueCollection query, string path)
    {
        var runs = _checkRuns.GetValueOrDefault(Resolve(reference) ?? reference) ?? [];
        return Page(runs, query, path, page => new JsonObject { ["total_count"] = runs.Count, ["check_runs"] = page });
    }

    private GitHubAnswer CombinedStatus(string reference)
    {
        var sha = Resolve(reference) ?? reference;
        var statuses = _statuses.GetValueOrDefault(sha) ?? [];
        var state = statuses.Count == 0 || statuses.All(status => (string?)status["state"] == "success") ? "success"
            : statuses.Any(status => (string?)status["state"] is "failure" or "error") ? "failure" : "pending";
        return new GitHubAnswer(200, new JsonObject
        {
            ["state"] = state, ["sha"] = sha, ["total_count"] = statuses.Count,
            ["statuses"] = new JsonArray(statuses.Select(status => status.DeepClone()).ToArray()),
        });
    }

    private GitHubAnswer Compare(string basehead, NameValueCollection query, string path)
    {
        var ends = basehead.Split("...");
        if (ends is not [var @base, var head] || Commits(@base) is not { } baseCommits || Commits(head) is not { } headCommits)
            return Error(404, "Not Found", "https://docs.github.com/rest/commits/commits#compare-two-commits");
        var ahead = headCommits.Where(sha => !baseCommits.Contains(sha)).Select(sha => (JsonNode)new JsonObject
        {
            ["sha"] = sha, ["commit"] = new JsonObject { ["message"] = $"commit {sha[..7]}" },
        }).ToList();
        var behind = baseCommits.Count(sha => !headCommits.Contains(sha));
        return Page(ahead, query, path, page => new JsonObject
        {
            ["status"] = ahead.Count == 0 ? (behind == 0 ? "identical" : "behind") : behind == 0 ? "ahead" : "diverged",
            ["ahead_by"] = ahead.Count, ["behind_by"] = behind, ["total_commits"] = ahead.Count, ["commits"] = page, ["files"] = new JsonArray(),
        });
    }

    private GitHubAnswer ListPulls(NameValueCollection query, string path)
    {
        var state = query["state"] ?? "open";
        var head = query["head"]?.Split(':', 2) is [var owner, var branch] && owner == Owner ? branch : query["head"];
        var pulls = _pulls
            .Where(pull => state == "all" || pull.State == state)
            .Where(pull => head is null || pull.Head == head)
            .Where(pull => query["base"] is not { } @base || pull.Base == @base)
            .OrderByDescending(pull => pull.Number)
            .Select(Json).ToList();
        return Page(pulls, query, path);
    }

    // The commits a branch or a sha reaches, oldest first; null when neither is known.
    private List<string>? Commits(string reference)
    {
        if (_tags.TryGetValue(reference, out var tagged))
            reference = tagged;
        if (_branches.TryGetValue(reference, out var commits))
            return commits;
        var branch = _branches.Values.FirstOrDefault(history => history.Contains(reference));
        return branch?[..(branch.IndexOf(reference) + 1)];
    }

    private string? Resolve(string reference) =>
        _tags.TryGetValue(reference, out var tagged) ? tagged
        : _branches.TryGetValue(reference, out var commits) ? commits[^1] : _branches.Values.Any(history => history.Contains(reference)) ? reference : null;

    private PullRequest? Pull(string number) => _pulls.FirstOrDefault(pull => pull.Number.ToString() == number);

    private JsonNode Json(PullRequest pull) => new JsonObject
    {
        ["id"] = pull.Number + 7_000_000_000L, ["number"] = pull.Number, ["title"] = pull.Title, ["body"] = pull.Body, ["state"] = pull.State,
        ["merged"] = pull.MergedAt is not null, ["merged_at"] = pull.MergedAt, ["merge_commit_sha"] = pull.MergeCommit,
        ["user"] = User(pull.Author), ["created_at"] = Now, ["updated_at"] = Now,
        ["html_url"] = $"https://github.com/{Owner}/{Name}/pull/{pull.Number}", ["url"] = $"{Url}repos/{Owner}/{Name}/pulls/{pull.Number}",
        ["head"] = new JsonObject { ["ref"] = pull.Head, ["sha"] = pull.Commits[^1], ["label"] = $"{Owner}:{pull.Head}" },
        ["base"] = new JsonObject { ["ref"] = pull.Base, ["sha"] = Resolve(pull.Base), ["label"] = $"{Owner}:{pull.Base}" },
    };

    private static List<JsonObject> List(Dictionary<string, List<JsonObject>> lists, string key) =>
        lists.TryGetValue(key, out var list) ? list : lists[key] = [];

    private static string NewSha() => Convert.ToHexStringLower(SHA1.HashData(Guid.NewGuid().ToByteArray()));

    private sealed record PullRequest(int Number, string Title, string Head, string Base, string Author, List<string> Commits)
    {
        public string State { get; set; } = "open";
        public string? Body { get; set; }
        public string? MergedAt { get; init; }
        public string? MergeCommit { get; init; }
        public List<JsonNode> Reviews { get; } = [];
    }
}
