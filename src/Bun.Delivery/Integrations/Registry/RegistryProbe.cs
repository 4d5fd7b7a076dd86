using System.Net;

namespace Bun.Delivery.Integrations.Registry;

/// <summary>
/// Whether the registry an image reference names answers at all (<c>GET /v2/</c>, any HTTP status, within a few seconds):
/// a cheap stand-in for "could it be pulled", asked before anything runs. No answer, e.g. no such host in an
/// air-gapped network, means a pull would fail.
/// </summary>
public static class RegistryProbe
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The registry host of a reference as Docker reads it: the first component when it has a dot, a port or is localhost; else Docker Hub.</summary>
    public static string RegistryOf(string reference)
    {
        var slash = reference.IndexOf('/');
        var first = slash < 0 ? "" : reference[..slash];
        return first.Contains('.') || first.Contains(':') || first == "localhost" ? first : "registry-1.docker.io";
    }

    public static async Task<bool> AnswersAsync(string reference, TimeSpan timeout, CancellationToken cancellation)
    {
        var host = RegistryOf(reference);
        var loopback = host.StartsWith("localhost", StringComparison.Ordinal) || host.StartsWith("127.", StringComparison.Ordinal) || host.StartsWith("[::1]", StringComparison.Ordinal);
        using var http = new HttpClient { Timeout = timeout };
        try
        {
            using var response = await http.GetAsync($"{(loopback ? "http" : "https")}://{host}/v2/", HttpCompletionOption.ResponseHeadersRead, cancellation);
            return response.StatusCode != HttpStatusCode.NotFound;
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            return false;
        }
    }
}
