using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;

namespace Bun.Delivery.Integrations.Database;

/// <summary>
/// The database a target works on: the environment chosen with <c>--environment</c>, the kind its database has, and the
/// connection from <c>--database-url</c>. It decides what may be done to that database before anything connects.
/// </summary>
public sealed record DatabaseTarget(string Environment, DatabaseKind Kind, bool RealByOptIn, DatabaseUrl Url)
{
    /// <summary>The one environment whose database kind a person may override, and only towards real: <c>--database real</c>.</summary>
    public const string LocalEnvironment = "local";

    /// <param name="environment">The value of <c>--environment</c>.</param>
    /// <param name="environmentKind">The kind the environment table gives that environment.</param>
    /// <param name="requested">The value of <c>--database</c>, if given.</param>
    /// <param name="databaseUrl">The value of <c>--database-url</c> (a secret); its password forms are registered with <paramref name="output"/>.</param>
    public static DatabaseTarget Resolve(string environment, DatabaseKind environmentKind, DatabaseKind? requested, string? databaseUrl, BuildOutput output)
    {
        var (kind, realByOptIn) = Choose(environment, environmentKind, requested);
        return new DatabaseTarget(environment, kind, realByOptIn, DatabaseUrl.Parse(databaseUrl, output));
    }

    /// <summary>Why ResetDummyDatabase may not run here, or null.</summary>
    public string? ResetRefusal => RefuseReset(Environment, Kind, RealByOptIn);

    /// <summary>The same refusal before any URL is known, for a target guard, so that the plan stops before anything runs.</summary>
    public static string? ResetRefusalFor(string environment, DatabaseKind environmentKind, DatabaseKind? requested)
    {
        var (kind, realByOptIn) = Choose(environment, environmentKind, requested);
        return RefuseReset(environment, kind, realByOptIn);
    }

    /// <summary>Where and what, for messages: <c>dev database (dummy) bun@db:5432/bun_dev</c>. Never the password.</summary>
    public string Describe() => $"{Environment} database ({Name(Kind)}{(RealByOptIn ? ", by --database real" : "")}) {Url.Describe()}";

    private static (DatabaseKind Kind, bool RealByOptIn) Choose(string environment, DatabaseKind environmentKind, DatabaseKind? requested)
    {
        if (requested is not { } kind || kind == environmentKind)
            return (environmentKind, false);
        if (environment != LocalEnvironment)
            throw BuildFailure.BadInput(
                $"--database {Name(kind)} applies only to {LocalEnvironment}: {environment}'s database is {Name(environmentKind)} (environment table). Drop --database.");
        if (kind == DatabaseKind.Dummy)
            throw BuildFailure.BadInput($"--database dummy cannot turn {environment}'s real database into a dummy one. Drop --database.");
        return (DatabaseKind.Real, true);
    }

    private static string? RefuseReset(string environment, DatabaseKind kind, bool realByOptIn) => (kind, realByOptIn) switch
    {
        (DatabaseKind.Real, true) =>
            $"ResetDummyDatabase refuses {environment} with --database real: a real database was asked for, and a real database is never reset or seeded. Drop --database real to reset {environment}'s dummy database.",
        (DatabaseKind.Real, false) =>
            $"ResetDummyDatabase refuses {environment}: its database is real (environment table), and a real database is never reset or seeded. Reset an environment whose database is dummy instead, e.g. dev.",
        _ => null,
    };

    private static string Name(DatabaseKind kind) => kind.ToString().ToLowerInvariant();
}
