using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Bun.Delivery.Model.Images;

namespace Bun.Delivery.Integrations.Registry;

/// <summary>
/// Signs registry API requests. Basic credentials go along as they are. A registry that answers 401 with a
/// <c>Bearer realm=…,service=…,scope=…</c> challenge (Docker Hub, GitLab, Harbor, distribution with token auth) gets
/// the token flow: a token for that scope from the realm, asked with the same credentials, then the request again.
/// Tokens are kept per scope, and a scope per method, so a run fetches one token for reading and one for deleting.
/// </summary>
internal sealed partial class RegistryAuthentication(RegistryCredentials? credentials, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private readonly ConcurrentDictionary<HttpMethod, string> _scopes = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = _scopes.TryGetValue(request.Method, out var known) && _tokens.TryGetValue(known, out var cached)
            ? new AuthenticationHeaderValue("Bearer", cached)
            : Basic();
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || Challenge(response) is not { } challenge)
            return response;

        var token = await FetchTokenAsync(challenge, cancellationToken);
        if (token is null)
            return response;
        _tokens[challenge.Scope] = token;
        _scopes[request.Method] = challenge.Scope;
        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken);
    }

    private AuthenticationHeaderValue? Basic() => credentials is null
        ? null
        : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));

    /// <returns>The token, or null when the realm refused: the caller then sees the registry's own 401.</returns>
    private async Task<string?> FetchTokenAsync(BearerChallenge challenge, CancellationToken cancellation)
    {
        var query = $"service={Uri.EscapeDataString(challenge.Service)}" + (challenge.Scope.Length == 0 ? "" : $"&scope={Uri.EscapeDataString(challenge.Scope)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{challenge.Realm}{(challenge.Realm.Contains('?') ? '&' : '?')}{query}");
        request.Headers.Authorization = Basic();
        using var response = await base.SendAsync(request, cancellation);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            return null;
        if (!response.IsSuccessStatusCode)
            throw new TransientRegistryException($"the token service {challenge.Realm} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        var body = await response.Content.ReadFromJsonAsync(RegistryAuthenticationJson.Default.TokenResponse, cancellation);
        return body?.Token ?? body?.AccessToken;
    }

    private static BearerChallenge? Challenge(HttpResponseMessage response)
    {
        var bearer = response.Headers.WwwAuthenticate.FirstOrDefault(header => header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase));
        if (bearer?.Parameter is not { } parameter)
            return null;
        var values = ChallengeParameter().Matches(parameter).ToDictionary(match => match.Groups["key"].Value.ToLowerInvariant(), match => match.Groups["value"].Value);
        return values.TryGetValue("realm", out var realm)
            ? new BearerChallenge(realm, values.GetValueOrDefault("service", ""), values.GetValueOrDefault("scope", ""))
            : null;
    }

    private sealed record BearerChallenge(string Realm, string Service, string Scope);

    [GeneratedRegex("(?<key>[A-Za-z]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex ChallengeParameter();
}

/// <summary>A token service's answer: Docker's <c>token</c> or OAuth's <c>access_token</c>.</summary>
internal sealed record TokenResponse(string? Token, [property: JsonPropertyName("access_token")] string? AccessToken);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class RegistryAuthenticationJson : JsonSerializerContext;
