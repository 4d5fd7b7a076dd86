using System.Globalization;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;

namespace Bun.Pipeline.Cli;

/// <summary>The engine's own switches, as opposed to the build's parameters.</summary>
internal sealed record EngineOptions
{
    public bool Help { get; init; }
    public bool Plan { get; init; }
    public bool Json { get; init; }
    public IReadOnlyList<string>? Skip { get; init; }
    public int MaxParallel { get; init; } = 1;
    public IReadOnlyList<string> Profiles { get; init; } = [];
    public bool Continue { get; init; }
    public bool Version { get; init; }
    public string? Root { get; init; }
    public Verbosity Verbosity { get; init; } = Verbosity.Normal;
}

/// <summary><c>[targets…] [--option values…]</c>: names before the first option are targets; each option takes the words after it.</summary>
internal sealed record CommandLine(IReadOnlyList<string> Targets, IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters, EngineOptions Options)
{
    public static readonly IReadOnlyList<(string Name, string Description)> EngineSwitches =
    [
        ("help", "Lists targets and parameters."),
        ("plan", "Shows what would run and why; runs nothing."),
        ("json", "With --plan: the plan as JSON on stdout; with a target that has a result for tools (History): that result; the rest goes to stderr."),
        ("skip", "Skips the named targets, or with no names every target that was not invoked."),
        ("parallel", "Runs independent targets at the same time."),
        ("max-parallel", "With --parallel: how many at once (default: the number of cores)."),
        ("profile", "Adds .nuke/parameters.<name>.json files; later ones win (--profile local: .nuke/parameters.local.json, git-ignored)."),
        ("target", "The targets to run, as an option: --target Compile Test is ./build.sh Compile Test."),
        ("continue", "Resumes the last failed run of the same command line: targets that succeeded then are skipped."),
        ("root", "The repository root (default: the nearest folder above with a .nuke folder)."),
        ("verbosity", "quiet (warnings and errors), normal (default) or verbose (every line tools print)."),
        ("version", "Prints the engine's version."),
    ];

    public static CommandLine Parse(IReadOnlyList<string> arguments, int cores)
    {
        var targets = new List<string>();
        var options = new List<(string Name, List<string> Values)>();
        foreach (var argument in arguments)
        {
            if (argument is "-h" or "-?")
                options.Add(("help", []));
            else if (argument.StartsWith("--", StringComparison.Ordinal) && argument.Length > 2)
            {
                var (name, value) = argument[2..].Split('=', 2) is [var key, var inline] ? (key, inline) : (argument[2..], null);
                options.Add((name.ToLowerInvariant(), value is null ? [] : [value]));
            }
            else if (options.Count == 0)
                targets.Add(argument);
            else
                options[^1].Values.Add(argument);
        }

        var engine = new EngineOptions();
        var parameters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        var parallel = false;
        int? maxParallel = null;
        foreach (var (name, values) in options)
        {
            switch (name)
            {
                case "help": engine = engine with { Help = Flag(name, values) }; break;
                case "plan": engine = engine with { Plan = Flag(name, values) }; break;
                case "json": engine = engine with { Json = Flag(name, values) }; break;
                case "parallel": parallel = Flag(name, values); break;
                case "skip": engine = engine with { Skip = [.. engine.Skip ?? [], .. values] }; break;
                case "profile": engine = engine with { Profiles = [.. engine.Profiles, .. values] }; break;
                case "target": targets.AddRange(values.Count > 0 ? values : throw BuildFailure.BadInput("--target needs at least one target name: --target Compile Test.")); break;
                case "continue": engine = engine with { Continue = Flag(name, values) }; break;
                case "version": engine = engine with { Version = Flag(name, values) }; break;
                case "root": engine = engine with { Root = values is [var root] ? root : throw BuildFailure.BadInput($"--root takes one folder, got '{string.Join(" ", values)}'.") }; break;
                case "verbosity": engine = engine with { Verbosity = VerbosityOf(values) }; break;
                case "max-parallel": maxParallel = Count(name, values); break;
                default:
                    if (!parameters.TryAdd(name, values))
                        throw BuildFailure.BadInput($"--{name} is given twice; give it once (a list takes several values: --{name} a b).");
                    break;
            }
        }

        if (maxParallel is not null && !parallel)
            throw BuildFailure.BadInput("--max-parallel needs --parallel.");
        return new CommandLine(targets, parameters, engine with { MaxParallel = parallel ? maxParallel ?? cores : 1 });
    }

    private static Verbosity VerbosityOf(List<string> values) =>
        values switch
        {
            ["quiet"] => Verbosity.Quiet,
            ["normal"] => Verbosity.Normal,
            ["verbose"] => Verbosity.Verbose,
            _ => throw BuildFailure.BadInput($"--verbosity takes quiet, normal or verbose, got '{string.Join(" ", values)}'."),
        };

    private static bool Flag(string name, List<string> values) => values.Count == 0
        ? true
        : throw BuildFailure.BadInput($"--{name} takes no value, got '{string.Join(" ", values)}'. Targets go before options: ./build.sh <targets> --{name}.");

    private static int Count(string name, List<string> values) =>
        values is [var text] && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : throw BuildFailure.BadInput($"--{name} needs one positive whole number, got '{string.Join(" ", values)}'.");
}
