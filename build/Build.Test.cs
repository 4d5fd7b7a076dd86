using System.Xml.Linq;
using Bun.Pipeline.Failures;
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
        .DependsOn(Compile)
        .Executes(async cancellation =>
        {
            var results = TestResults ?? RootDirectory / ".nuke" / "temp" / "test-results";
            if (Directory.Exists(results))
                Directory.Delete(results, recursive: true);
            List<string> arguments =
            [
                "test", Solution, "--no-build", "--configuration", Configuration.ToString(), "--nologo",
                "--results-directory", results, "--logger", "trx", "--logger", "console;verbosity=normal",
            ];
            if (TestFilter is not null)
                arguments.AddRange(["--filter", $"FullyQualifiedName~{TestFilter}"]);
            try
            {
                await Processes.RunAsync("dotnet", arguments, cancellation);
            }
            finally
            {
                ReportTestTotals(results);
            }
        });

    // One plain closing line ("N passed, N failed, N skipped") summed over every TRX file.
    private void ReportTestTotals(AbsolutePath results)
    {
        XNamespace trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var counters = Directory.Exists(results)
            ? Directory.GetFiles(results, "*.trx").Select(file => XDocument.Load(file).Descendants(trx + "Counters").Single()).ToList()
            : [];
        int Sum(string attribute) => counters.Sum(counter => (int?)counter.Attribute(attribute) ?? 0);
        var (passed, failed, total) = (Sum("passed"), Sum("failed"), Sum("total"));
        Log.Info($"{passed} passed, {failed} failed, {total - passed - failed} skipped");
        if (total == 0)
            throw new BuildFailure("No test ran: check --test-filter and that the test projects are in Bun.sln.");
    }
}
