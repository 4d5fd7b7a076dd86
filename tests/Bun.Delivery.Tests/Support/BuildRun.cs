using System.Text.Json;

namespace Bun.Delivery.Tests.Support;

/// <summary>What one run of the build printed and returned.</summary>
public sealed record BuildRun(int ExitCode, string Out, string Error)
{
    public string All => Out + Error;

    /// <summary>Whether any target started: a section opens for each, as a heading locally and a group in GitHub Actions.</summary>
    public bool StartedATarget => All.Contains("▶ ") || All.Contains("::group::");

    /// <summary>The <c>--plan --json</c> document on stdout.</summary>
    public JsonElement Plan => JsonDocument.Parse(Out).RootElement;

    public JsonElement Context => Plan.GetProperty("context");

    /// <summary>The planned targets that run, in plan order.</summary>
    public IReadOnlyList<string> Running => Plan.GetProperty("targets").EnumerateArray()
        .Where(target => target.GetProperty("decision").GetString() == "run")
        .Select(target => target.GetProperty("name").GetString()!)
        .ToList();
}
