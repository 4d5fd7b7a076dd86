using Bun.Delivery.Orchestration.Deployments;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;

namespace Bun.Build;

public sealed partial class Build
{
    [Parameter("Where test results (TRX) go; default .nuke/temp/test-results.")]
    public AbsolutePath? TestResults { get; set; }

    [Parameter("Only tests whose fully qualified name contains this text.")]
    public string? TestFilter { get; set; }

    public Target Test => _ => _
        .Description("Runs every test project; TRX results under --test-results.")
        .Group("build")
        .DependsOn(Compile)
        .Executes(async cancellation =>
        {
            var results = TestResults ?? RootDirectory / ".nuke" / "temp" / "test-results";
            if (Directory.Exists(results))
                Directory.Delete(results, recursive: true);
            List<string> arguments =
            [
                "test", Solution, "--no-build", "--configuration", Configuration.ToString(), "--nologo",
                "--results-directory", results, "--logger", "trx", "--logger", $"console;verbosity={TestRun.ConsoleVerbosity(Verbosity)}",
            ];
            if (TestFilter is not null)
                arguments.AddRange(["--filter", $"FullyQualifiedName~{TestFilter}"]);
            await TestRun.RunAsync(() => Processes.RunAsync("dotnet", arguments, cancellation, environment: HermeticEnvironment()), results, Log);
            // The proof a deploy to a gated environment asks for (stage: tests must pass), for this commit.
            await DeploymentGates.RecordPassedTestsAsync(RootDirectory, Context, allTests: TestFilter is null, Log, cancellation);
        });

    // The tests are hermetic: they inherit none of the build's parameter variables, secret or not (BUN_DATABASE_URL, BUN_ENVIRONMENT, …).
    private Dictionary<string, string?> HermeticEnvironment()
    {
        var parameters = ParameterDescriptor.Discover(GetType());
        return parameters.SelectMany(parameter => parameter.EnvironmentNames)
            .Concat(HostEnvironment.Variables.Keys.Where(variable => parameters.Any(parameter => parameter.IsSetBy(variable))))
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(name => name, _ => (string?)null);
    }
}
