using Bun.Pipeline.Output;
using Bun.Pipeline.Targets;

namespace Bun.Delivery.Integrations.Database;

/// <summary>What the database targets need before anything runs: a URL that parses, and a row count in range.</summary>
public static class DatabaseNeeds
{
    /// <summary><paramref name="url"/> parses as a postgres:// URL or an Npgsql connection string; without one, <paramref name="withoutUrl"/> says why that is fine.</summary>
    public static Need UrlParses(string? url, BuildOutput output, string withoutUrl) => Need.Of("a database URL that parses", () =>
    {
        if (string.IsNullOrWhiteSpace(url))
            return NeedStatus.NotChecked(withoutUrl);
        var parsed = DatabaseUrl.Parse(url, output);
        return NeedStatus.Ok(parsed.Describe());
    });

    public static Need RowsInRange(int rows) => Need.Of("--rows in range", () =>
        RowsProblem(rows) is { } problem ? NeedStatus.Missing(problem) : NeedStatus.Ok());

    internal static string? RowsProblem(int rows) =>
        rows < 0 ? $"--rows is the number of fake notes to seed: 0 or more, got {rows}." : null;
}
