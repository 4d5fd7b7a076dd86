using System.Xml;
using System.Xml.Linq;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Processes;

namespace Bun.Build;

/// <summary>
/// One <c>dotnet test</c> run and its closing line, <c>N passed, N failed, N skipped</c>, summed over the TRX files.
/// A failed run stays the failure; "No test ran" is the verdict only of a run that exited 0 and ran nothing.
/// </summary>
public static class TestRun
{
    /// <summary>
    /// What dotnet test prints for <c>--verbosity</c>: by default failures and each project's summary (minimal), not a
    /// "Passed" line per test; every test with verbose; with quiet only what fails.
    /// </summary>
    public static string ConsoleVerbosity(Verbosity verbosity) => verbosity switch
    {
        Verbosity.Quiet => "quiet",
        Verbosity.Verbose => "normal",
        _ => "minimal",
    };

    public static async Task RunAsync(Func<Task> dotnetTest, AbsolutePath results, BuildOutput log)
    {
        try
        {
            await dotnetTest();
        }
        catch (ProcessFailedException)
        {
            log.Info(Totals(results).Line);
            throw;
        }

        var totals = Totals(results);
        log.Info(totals.Line);
        if (totals.Total == 0)
            throw new BuildFailure("No test ran: check --test-filter and that the test projects are in Bun.sln.");
    }

    private static (int Total, string Line) Totals(AbsolutePath results)
    {
        XNamespace trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var counters = Directory.Exists(results)
            ? Directory.GetFiles(results, "*.trx").Select(file => Counters(file, trx)).OfType<XElement>().ToList()
            : [];
        int Sum(string attribute) => counters.Sum(counter => (int?)counter.Attribute(attribute) ?? 0);
        var (passed, failed, total) = (Sum("passed"), Sum("failed"), Sum("total"));
        return (total, $"{passed} passed, {failed} failed, {total - passed - failed} skipped");
    }

    // A test host that crashed may leave a TRX file half written: it counts nothing, and the run's own failure is reported.
    private static XElement? Counters(string file, XNamespace trx)
    {
        try
        {
            return XDocument.Load(file).Descendants(trx + "Counters").SingleOrDefault();
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
