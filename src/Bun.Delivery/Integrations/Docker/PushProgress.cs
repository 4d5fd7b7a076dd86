using System.Text.RegularExpressions;
using Bun.Pipeline.Output;
using Docker.DotNet.Models;

namespace Bun.Delivery.Integrations.Docker;

/// <summary>
/// Follows the engine's push stream: layer by layer progress (bytes on a terminal, at most one line a second per layer;
/// a line per finished layer with done/total everywhere), the manifest digest, and the first error.
/// </summary>
internal sealed partial class PushProgress(BuildOutput output, ProgressMode mode) : IProgress<JSONMessage>
{
    private static readonly TimeSpan LiveInterval = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, Layer> _layers = [];

    public string? Digest { get; private set; }
    public string? Error { get; private set; }
    public int LayersDone => _layers.Values.Count(layer => layer.Done);
    public int LayersTotal => _layers.Count;

    public void Report(JSONMessage message)
    {
        var error = message.Error?.Message is { Length: > 0 } detail ? detail : message.ErrorMessage;
        if (!string.IsNullOrWhiteSpace(error))
        {
            Error ??= error.Trim();
            return;
        }

        if (message.Aux?.ExtensionData?.TryGetValue("Digest", out var digest) == true && digest?.ToString() is { Length: > 0 } auxDigest)
            Digest = auxDigest;
        var status = message.Status ?? "";
        if (DigestLine().Match(status) is { Success: true } line)
            Digest ??= line.Groups["digest"].Value;

        if (string.IsNullOrEmpty(message.ID) || DigestLine().IsMatch(status))
        {
            if (status.Length > 0 && !DigestLine().IsMatch(status))
                output.Dim(status);
            return;
        }

        if (!_layers.TryGetValue(message.ID, out var layer))
            _layers[message.ID] = layer = new Layer();
        Follow(message.ID, layer, status, message.Progress);
    }

    private void Follow(string id, Layer layer, string status, JSONProgress? progress)
    {
        if (status == "Pushing" && progress is { Total: > 0 })
        {
            layer.Current = progress.Current;
            layer.Total = progress.Total;
            if (mode == ProgressMode.Live && DateTimeOffset.UtcNow - layer.LastShown >= LiveInterval)
            {
                layer.LastShown = DateTimeOffset.UtcNow;
                output.Dim($"  {id}: {Bytes.Format(layer.Current)} / {Bytes.Format(layer.Total)}");
            }

            return;
        }

        if (layer.Done || !(status is "Pushed" or "Layer already exists" || status.StartsWith("Mounted from", StringComparison.Ordinal)))
            return;
        layer.Done = true;
        var size = layer.Total > 0 ? $" ({Bytes.Format(layer.Total)})" : "";
        output.Info($"  {id}: {status}{size} [{LayersDone}/{LayersTotal} layers]");
    }

    private sealed class Layer
    {
        public long Current { get; set; }
        public long Total { get; set; }
        public bool Done { get; set; }
        public DateTimeOffset LastShown { get; set; }
    }

    [GeneratedRegex(@"digest: (?<digest>sha256:[0-9a-f]{64})")]
    private static partial Regex DigestLine();
}
