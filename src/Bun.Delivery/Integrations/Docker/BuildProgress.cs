using System.Text.RegularExpressions;
using Bun.Pipeline.Output;
using Docker.DotNet.Models;

namespace Bun.Delivery.Integrations.Docker;

/// <summary>
/// Turns the engine's build stream into output as it arrives: each <c>Step n/m</c> as a line of its own, the step's
/// own output dimmed under it. Remembers the current step, the image id and the first error for the result.
/// Reports synchronously: <see cref="Progress{T}"/> would post to the thread pool and reorder lines.
/// </summary>
internal sealed partial class BuildProgress(BuildOutput output) : IProgress<JSONMessage>
{
    private readonly List<string> _stepOutput = [];

    public string? CurrentStep { get; private set; }
    public string? ImageId { get; private set; }
    public string? Error { get; private set; }
    public IReadOnlyList<string> StepOutput => _stepOutput;

    public void Report(JSONMessage message)
    {
        var error = message.Error?.Message is { Length: > 0 } detail ? detail : message.ErrorMessage;
        if (!string.IsNullOrWhiteSpace(error))
        {
            Error ??= error.Trim();
            return;
        }

        if (message.Aux?.ExtensionData?.TryGetValue("ID", out var id) == true && id?.ToString() is { Length: > 0 } imageId)
            ImageId = imageId;

        foreach (var line in (message.Stream ?? "").Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Trim().Length > 0))
            Write(line);
    }

    private void Write(string line)
    {
        if (StepLine().IsMatch(line))
        {
            CurrentStep = line.Trim();
            _stepOutput.Clear();
            output.Info(CurrentStep);
            return;
        }

        if (SuccessfullyBuilt().Match(line) is { Success: true } built)
            ImageId ??= built.Groups["id"].Value;
        _stepOutput.Add(line);
        if (EngineHousekeeping().IsMatch(line))
            return;
        output.Dim("  " + line.TrimStart());
    }

    [GeneratedRegex(@"^Step \d+/\d+ : ")]
    private static partial Regex StepLine();

    // The classic builder's own bookkeeping: noise next to the step's output.
    [GeneratedRegex(@"^\s*(---> Running in |Removing intermediate container )")]
    private static partial Regex EngineHousekeeping();

    [GeneratedRegex(@"^Successfully built (?<id>[0-9a-f]+)")]
    private static partial Regex SuccessfullyBuilt();
}
