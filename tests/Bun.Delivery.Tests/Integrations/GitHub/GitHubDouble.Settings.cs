using System.Collections.Specialized;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bun.Delivery.Tests.Integrations.GitHub;

/// <summary>
/// The settings part: repository rulesets (<c>GET/POST …/rulesets</c>, <c>GET/PUT …/rulesets/{id}</c>; the list holds
/// summaries, without rules or conditions, as on GitHub; a plan without rulesets is 403 with GitHub's upgrade message),
/// the rules a branch gets from them (<c>GET …/rules/branches/{branch}</c>), environments (<c>GET …/environments</c>,
/// <c>GET/PUT …/environments/{name}</c>), their deployment branch policies, users, and creating and updating pull requests.
/// </summary>
public sealed partial class GitHubDouble
{
    private static readonly string[] RuleTypes = ["creation", "update", "deletion", "required_linear_history", "required_signatures", "pull_request", "required_status_checks", "non_fast_forward"];
    private static readonly string[] PullRequestParameters = ["required_approving_review_count", "dismiss_stale_reviews_on_push", "require_code_owner_review", "require_last_push_approval", "required_review_thread_resolution"];

    private readonly List<JsonObject> _rulesets = [];
    private readonly Dictionary<string, JsonObject> _environments = new();
    private readonly Dictionary<string, List<JsonObject>> _branchPolicies = new();
    private readonly Dictionary<string, long> _users = new();

    /// <summary>A user GitHub knows (<c>GET /users/{login}</c>); returns the id.</summary>
    public long AddUser(string login)
    {
        lock (_gate)
            return _users.TryGetValue(login, out var id) ? id : _users[login] = NextId();
    }

    /// <summary>An active branch ruleset for <paramref name="include"/> (e.g. <c>refs/heads/release/*</c>) requiring these checks and approvals.</summary>
    public void AddRuleset(string name, string include, IReadOnlyList<string> checks, int approvals)
    {
        lock (_gate)
            SaveRuleset(null, new JsonObject
            {
                ["name"] = name, ["target"] = "branch", ["enforcement"] = "active",
                ["conditions"] = new JsonObject { ["ref_name"] = new JsonObject { ["include"] = new JsonArray(include), ["exclude"] = new JsonArray() } },
                ["rules"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "pull_request",
                        ["parameters"] = new JsonObject
                        {
                            ["required_approving_review_count"] = approvals, ["dismiss_stale_reviews_on_push"] = true, ["require_code_owner_review"] = false,
                            ["require_last_push_approval"] = false, ["required_review_thread_resolution"] = false,
                        },
                    },
                    new JsonObject
                    {
                        ["type"] = "required_status_checks",
                        ["parameters"] = new JsonObject
                        {
                            ["strict_required_status_checks_policy"] = false,
                            ["required_status_checks"] = new JsonArray(checks.Select(check => (JsonNode?)new JsonObject { ["context"] = check }).ToArray()),
                        },
                    }),
            });
    }

    /// <summary>False: the plan does not offer rulesets (a private repository on GitHub Free).</summary>
    public bool RulesetsOffered { get; set; } = true;

    public IReadOnlyList<JsonObject> Rulesets()
    {
        lock (_gate)
            return _rulesets.Select(ruleset => (JsonObject)ruleset.DeepClone()).ToList();
    }

    public JsonObject? Environment(string name)
    {
        lock (_gate)
            return _environments.TryGetValue(name, out var environment) ? (JsonObject)EnvironmentJson(name, environment) : null;
    }

    public IReadOnlyList<string> BranchPolicies(string environment)
    {
        lock (_gate)
            return _branchPolicies.GetValueOrDefault(environment)?.Select(policy => (string)policy["name"]!).ToList() ?? [];
    }

    private GitHubAnswer? RouteSettings(string method, string[] rest, NameValueCollection query, string path, JsonNode? body)
    {
        if (rest is ["rulesets", ..] && !RulesetsOffered)
            return Error(403, "Upgrade to GitHub Pro or make this repository public to enable this feature.", "https://docs.github.com/rest/repos/rules");
        return (method, rest) switch
        {
            ("GET", ["rulesets"]) => Page(_rulesets.Select(Summary).ToList(), query, path),
            ("POST", ["rulesets"]) => SaveRuleset(null, body),
            ("GET", ["rulesets", var id]) => Ruleset(id) is { } ruleset ? new GitHubAnswer(200, ruleset.DeepClone()) : Error(404, "Not Found", RestDocumentation),
            ("PUT", ["rulesets", var id]) => Ruleset(id) is { } ruleset ? SaveRuleset(ruleset, body) : Error(404, "Not Found", RestDocumentation),
            ("GET", ["environments"]) => Page(_environments.Select(environment => EnvironmentJson(environment.Key, environment.Value)).ToList(), query, path,
                page => new JsonObject { ["total_count"] = _environments.Count, ["environments"] = page }),
            ("GET", ["environments", var name]) => _environments.TryGetValue(name, out var environment)
                ? new GitHubAnswer(200, EnvironmentJson(name, environment))
                : Error(404, "Not Found", "https://docs.github.com/rest/deployments/environments#get-an-environment"),
            ("PUT", ["environments", var name]) => SaveEnvironment(name, body),
            ("GET", ["environments", var name, "deployment-branch-policies"]) => _environments.ContainsKey(name)
                ? Page(_branchPolicies.GetValueOrDefault(name)?.Cast<JsonNode>().ToList() ?? [], query, path,
                    page => new JsonObject { ["total_count"] = _branchPolicies.GetValueOrDefault(name)?.Count ?? 0, ["branch_policies"] = page })
                : Error(404, "Not Found", RestDocumentation),
            ("POST", ["environments", var name, "deployment-branch-policies"]) => AddBranchPolicy(name, body),
            ("POST", ["pulls"]) => CreatePull(body),
            ("PATCH", ["pulls", var number]) => Pull(number) is { } pull ? UpdatePull(pull, body) : Error(404, "Not Found", RestDocumentation),
            _ => null,
        };
    }

    private GitHubAnswer? RouteUsers(string method, string[] segments) => (method, segments) switch
    {
        ("GET", ["users", var login]) => _users.TryGetValue(login, out var id)
            ? new GitHubAnswer(200, new JsonObject { ["login"] = login, ["id"] = id, ["type"] = "User", ["html_url"] = $"https://github.com/{login}" })
            : Error(404, "Not Found", "https://docs.github.com/rest/users/users#get-a-user"),
        _ => null,
    };

    // The rules of every active ruleset whose ref_name conditions match the branch, each with the ruleset it comes from.
    private List<JsonNode> RulesFor(string branch) => _rulesets
        .Where(ruleset => (string?)ruleset["enforcement"] == "active" && Matches(ruleset["conditions"]?["ref_name"], $"refs/heads/{branch}"))
        .SelectMany(ruleset => ruleset["rules"]!.AsArray().Select(rule =>
        {
            var copy = (JsonObject)rule!.DeepClone();
            copy["ruleset_source_type"] = "Repository";
            copy["ruleset_source"] = $"{Owner}/{Name}";
            copy["ruleset_id"] = ruleset["id"]!.GetValue<long>();
            return (JsonNode)copy;
        }))
        .ToList();

    private static bool Matches(JsonNode? refName, string reference)
    {
        bool Any(string key) => refName?[key] is JsonArray patterns && patterns.Any(pattern => Glob((string)pattern!, reference));
        return Any("include") && !Any("exclude");
    }

    // fnmatch as rulesets use it: * does not cross '/', ** does; ~DEFAULT_BRANCH is main.
    private static bool Glob(string pattern, string reference) =>
        pattern == "~ALL" || (pattern == "~DEFAULT_BRANCH" ? reference == "refs/heads/main"
            : Regex.IsMatch(reference, "^" + Regex.Escape(pattern).Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*") + "$"));

    private JsonObject? Ruleset(string id) => _rulesets.FirstOrDefault(ruleset => ruleset["id"]!.GetValue<long>().ToString() == id);

    private JsonNode Summary(JsonObject ruleset) => new JsonObject
    {
        ["id"] = ruleset["id"]!.DeepClone(), ["name"] = ruleset["name"]!.DeepClone(), ["target"] = ruleset["target"]!.DeepClone(),
        ["source_type"] = "Repository", ["source"] = $"{Owner}/{Name}", ["enforcement"] = ruleset["enforcement"]!.DeepClone(),
    };

    private GitHubAnswer SaveRuleset(JsonObject? existing, JsonNode? body)
    {
        if (Text(body, "name") is not { } name)
            return Invalid("Ruleset", "name", "missing_field");
        if (Text(body, "enforcement") is not ("disabled" or "active" or "evaluate"))
            return Invalid("Ruleset", "enforcement", "invalid", "enforcement must be disabled, active or evaluate");
        if (body!["conditions"]?["ref_name"] is { } refName && (refName["include"] is not JsonArray || refName["exclude"] is not JsonArray))
            return Invalid("Ruleset", "conditions.ref_name", "invalid", "ref_name needs include and exclude arrays");
        foreach (var rule in body["rules"]?.AsArray() ?? [])
        {
            var type = Text(rule, "type");
            if (type is null || !RuleTypes.Contains(type))
                return Invalid("Ruleset", "rules.type", "invalid", $"unknown rule type '{type}'");
            var parameters = rule!["parameters"];
            if (type == "pull_request" && PullRequestParameters.FirstOrDefault(parameter => parameters?[parameter] is null) is { } missing)
                return Invalid("Ruleset", $"rules.pull_request.parameters.{missing}", "missing_field");
            if (type == "required_status_checks" && (parameters?["required_status_checks"] is not JsonArray || parameters["strict_required_status_checks_policy"] is null))
                return Invalid("Ruleset", "rules.required_status_checks.parameters", "missing_field");
        }

        if (_rulesets.Any(ruleset => ruleset != existing && (string?)ruleset["name"] == name))
            return Invalid("Ruleset", "name", "already_exists", "Name must be unique");
        var saved = new JsonObject
        {
            ["id"] = existing?["id"]?.GetValue<long>() ?? NextId(), ["name"] = name, ["target"] = Text(body, "target") ?? "branch",
            ["source_type"] = "Repository", ["source"] = $"{Owner}/{Name}", ["enforcement"] = Text(body, "enforcement"),
            ["bypass_actors"] = body["bypass_actors"]?.DeepClone() ?? new JsonArray(),
            ["conditions"] = body["conditions"]?.DeepClone() ?? new JsonObject(),
            ["rules"] = body["rules"]?.DeepClone() ?? new JsonArray(),
        };
        if (existing is not null)
            _rulesets[_rulesets.IndexOf(existing)] = saved;
        else
            _rulesets.Add(saved);
        return new GitHubAnswer(existing is null ? 201 : 200, saved.DeepClone());
    }

    private GitHubAnswer SaveEnvironment(string name, JsonNode? body)
    {
        if (body?["deployment_branch_policy"] is JsonObject policy
            && (Flag(policy, "protected_branches") is not { } protectedBranches || Flag(policy, "custom_branch_policies") is not { } custom || protectedBranches == custom))
            return Invalid("Environment", "deployment_branch_policy", "invalid", "exactly one of protected_branches and custom_branch_policies must be true");
        foreach (var reviewer in body?["reviewers"]?.AsArray() ?? [])
        {
            if (Text(reviewer, "type") is not ("User" or "Team") || reviewer!["id"] is not JsonValue)
                return Invalid("Environment", "reviewers", "invalid", "a reviewer is {type: User|Team, id}");
        }

        var saved = new JsonObject
        {
            ["wait_timer"] = body?["wait_timer"]?.DeepClone() ?? 0,
            ["reviewers"] = body?["reviewers"]?.DeepClone() ?? new JsonArray(),
            ["deployment_branch_policy"] = body?["deployment_branch_policy"]?.DeepClone(),
        };
        _environments[name] = saved;
        if (saved["deployment_branch_policy"]?["custom_branch_policies"]?.GetValue<bool>() != true)
            _branchPolicies.Remove(name);
        return new GitHubAnswer(200, EnvironmentJson(name, saved));
    }

    private GitHubAnswer AddBranchPolicy(string environment, JsonNode? body)
    {
        if (!_environments.TryGetValue(environment, out var settings))
            return Error(404, "Not Found", RestDocumentation);
        if (settings["deployment_branch_policy"]?["custom_branch_policies"]?.GetValue<bool>() != true)
            return Error(404, "Custom branch policies are not enabled for this environment.", RestDocumentation);
        if (Text(body, "name") is not { } name)
            return Invalid("DeploymentBranchPolicy", "name", "missing_field");
        var policies = _branchPolicies.TryGetValue(environment, out var list) ? list : _branchPolicies[environment] = [];
        if (policies.Any(policy => (string?)policy["name"] == name))
            return Invalid("DeploymentBranchPolicy", "name", "already_exists");
        var saved = new JsonObject { ["id"] = NextId(), ["name"] = name, ["type"] = Text(body, "type") ?? "branch" };
        policies.Add(saved);
        return new GitHubAnswer(200, saved.DeepClone());
    }

    private JsonNode EnvironmentJson(string name, JsonObject settings)
    {
        var rules = new JsonArray();
        if (settings["reviewers"] is JsonArray { Count: > 0 } reviewers)
            rules.Add(new JsonObject
            {
                ["id"] = 1, ["type"] = "required_reviewers", ["prevent_self_review"] = false,
                ["reviewers"] = new JsonArray(reviewers.Select(reviewer => (JsonNode?)new JsonObject
                {
                    ["type"] = reviewer!["type"]!.DeepClone(),
                    ["reviewer"] = new JsonObject { ["id"] = reviewer["id"]!.DeepClone(), ["login"] = UserLogin(reviewer["id"]!.GetValue<long>()) },
                }).ToArray()),
            });
        if (settings["deployment_branch_policy"] is JsonObject)
            rules.Add(new JsonObject { ["id"] = 2, ["type"] = "branch_policy" });
        return new JsonObject
        {
            ["id"] = Math.Abs(name.GetHashCode()), ["name"] = name, ["url"] = $"{Url}repos/{Owner}/{Name}/environments/{name}",
            ["html_url"] = $"https://github.com/{Owner}/{Name}/deployments/activity_log?environments_filter={name}",
            ["created_at"] = "2026-01-05T10:00:00Z", ["updated_at"] = "2026-01-05T10:00:00Z",
            ["protection_rules"] = rules, ["deployment_branch_policy"] = settings["deployment_branch_policy"]?.DeepClone(),
        };
    }

    private string? UserLogin(long id) => _users.FirstOrDefault(user => user.Value == id).Key;

    private GitHubAnswer CreatePull(JsonNode? body)
    {
        foreach (var field in new[] { "title", "head", "base" })
            if (Text(body, field) is null)
                return Invalid("PullRequest", field, "missing_field");
        var head = Text(body, "head")!;
        var @base = Text(body, "base")!;
        if (!_branches.ContainsKey(head) || !_branches.ContainsKey(@base))
            return Invalid("PullRequest", _branches.ContainsKey(head) ? "base" : "head", "invalid");
        if (_pulls.Any(pull => pull.State == "open" && pull.Head == head && pull.Base == @base))
            return Invalid("PullRequest", "head", "custom", $"A pull request already exists for {Owner}:{head}.");
        if (Commits(head)!.All(Commits(@base)!.Contains))
            return Invalid("PullRequest", "head", "custom", $"No commits between {@base} and {head}");
        var pull = new PullRequest(_nextNumber++, Text(body, "title")!, head, @base, "bun-build", [Head(head)]) { Body = Text(body, "body") };
        _pulls.Add(pull);
        return new GitHubAnswer(201, Json(pull));
    }

    private GitHubAnswer UpdatePull(PullRequest pull, JsonNode? body)
    {
        if (Text(body, "body") is { } text)
            pull.Body = text;
        if (Text(body, "state") is { } state)
            pull.State = state;
        return new GitHubAnswer(200, Json(pull));
    }
}
