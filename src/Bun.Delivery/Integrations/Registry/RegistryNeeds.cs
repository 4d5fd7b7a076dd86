using System.Net;
using Bun.Delivery.Model.Images;
using Bun.Pipeline.Targets;

namespace Bun.Delivery.Integrations.Registry;

/// <summary>What the targets that talk to a registry need before anything runs: the configured one answers <c>/v2/</c>.</summary>
public static class RegistryNeeds
{
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The registry <paramref name="registry"/> (host[:port][/namespace]) answers <c>GET /v2/</c>, logging in with the
    /// credentials when it asks; without <c>--registry</c> there is nothing to check (<paramref name="withoutRegistry"/> says why that is fine).
    /// </summary>
    public static Need Answers(string? registry, RegistryCredentials? credentials, string withoutRegistry) => new("a registry that answers /v2/", async cancellation =>
    {
        if (string.IsNullOrWhiteSpace(registry))
            return NeedStatus.NotChecked(withoutRegistry);
        var repository = ImageRepository.Parse(registry, "bun");
        var address = $"{(repository.IsLoopback ? "http" : "https")}://{repository.Host}/v2/";
        using var http = new HttpClient(new RegistryAuthentication(credentials, new SocketsHttpHandler())) { Timeout = AnswerWithin };
        try
        {
            using var response = await http.GetAsync(address, cancellation);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => NeedStatus.Ok($"{repository.Host} answers"),
                HttpStatusCode.Unauthorized when credentials is null => NeedStatus.Ok($"{repository.Host} answers and asks for a login"),
                HttpStatusCode.Unauthorized => NeedStatus.Missing($"{repository.Host} refused the login; check --registry-username and --registry-password."),
                var status => NeedStatus.Missing($"{address} answered {(int)status} {status}, not a registry's 200 or 401; check --registry."),
            };
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            var reason = exception is TaskCanceledException ? $"no answer within {AnswerWithin.TotalSeconds:0} s" : exception.GetBaseException().Message;
            return NeedStatus.Missing($"{address} did not answer ({reason}); start the registry or fix --registry.");
        }
    });
}
