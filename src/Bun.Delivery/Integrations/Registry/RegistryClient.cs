using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Model.Retries;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Polly;

namespace Bun.Delivery.Integrations.Registry;

/// <summary>
/// The part of the registry HTTP API v2 that cleanup and promotion need, for one repository: list tags (following
/// <c>Link</c> pagination), resolve a tag's manifest digest, delete a manifest by digest, tag a manifest by digest
/// (copy it under a new tag, without moving any layer). Basic or token authentication
/// (<see cref="RegistryAuthentication"/>); every call goes
/// through <see cref="RegistryRetry"/>, and what still fails becomes a <see cref="BuildFailure"/> that says what was being done.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    public const int DefaultPageSize = 100;

    // Every manifest type, so that the registry answers with the stored manifest's own digest rather than a conversion.
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private readonly HttpClient _http;
    private readonly ResiliencePipeline _retry;
    private readonly RetrySettings _settings;
    private readonly ImageRepository _repository;
    private readonly bool _hasCredentials;

    public RegistryClient(
        ImageRepository repository, RegistryCredentials? credentials, BuildOutput output, RetrySettings? retry = null, HttpMessageHandler? handler = null)
    {
        _repository = repository;
        _settings = retry ?? RetrySettings.Default;
        _retry = RegistryRetry.Create(_settings, output);
        _hasCredentials = credentials is not null;
        if (credentials is not null)
            output.RegisterSecret(credentials.Password);
        _http = new HttpClient(new RegistryAuthentication(credentials, handler ?? new SocketsHttpHandler()))
        {
            BaseAddress = new Uri($"{(repository.IsLoopback ? "http" : "https")}://{repository.Host}/v2/{repository.Path}/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public ImageRepository Repository => _repository;

    /// <summary>Every tag of the repository; none when the repository does not exist (yet, or any more).</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken cancellation, int pageSize = DefaultPageSize)
    {
        var tags = new List<string>();
        string? next = $"tags/list?n={pageSize}";
        while (next is not null)
        {
            var page = next;
            (var pageTags, next) = await SendAsync($"listing the tags of {_repository}", () => new HttpRequestMessage(HttpMethod.Get, page), async response =>
            {
                if (response.StatusCode == HttpStatusCode.NotFound)
                    return ((IReadOnlyList<string>)[], (string?)null);
                var body = await response.Content.ReadFromJsonAsync(RegistryJson.Default.TagList, cancellation);
                return (body?.Tags ?? [], NextPage(response));
            }, cancellation);
            tags.AddRange(pageTags);
        }

        return tags;
    }

    /// <summary>The digest of the manifest a tag points to, or null when the tag is gone.</summary>
    public Task<ImageDigest?> ResolveAsync(string tag, CancellationToken cancellation) =>
        SendAsync($"resolving {_repository}:{tag}", () => ManifestRequest(HttpMethod.Head, Uri.EscapeDataString(tag)), response => Task.FromResult(
            response.StatusCode == HttpStatusCode.NotFound ? null
            : response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } digest ? new ImageDigest(digest)
            : throw new BuildFailure($"resolving {_repository}:{tag}: the registry {_repository.Host} answered without a Docker-Content-Digest header.")),
            cancellation);

    /// <summary>Deletes a manifest and with it every tag that points to it; false when it was already gone.</summary>
    public Task<bool> DeleteAsync(ImageDigest digest, CancellationToken cancellation) =>
        SendAsync($"deleting {_repository.Reference(digest)}", () => new HttpRequestMessage(HttpMethod.Delete, $"manifests/{digest.Value}"), response =>
        {
            if (response.StatusCode == HttpStatusCode.MethodNotAllowed)
                throw new BuildFailure(
                    $"The registry {_repository.Host} does not allow deletes, so {_repository.Reference(digest)} stays. " +
                    "Enable them (distribution: storage.delete.enabled: true) or clean up by hand.");
            return Task.FromResult(response.StatusCode != HttpStatusCode.NotFound);
        }, cancellation);

    /// <summary>
    /// Tags the manifest <paramref name="digest"/> as <paramref name="tag"/>, moving the tag if it pointed elsewhere: the
    /// manifest is read by digest, byte for byte with its own media type, and put back under the tag. Nothing is pulled or
    /// rebuilt, and the tag ends up on exactly that digest (checked against the registry's answer).
    /// </summary>
    public async Task RetagAsync(ImageDigest digest, ImageTag tag, CancellationToken cancellation)
    {
        var source = _repository.Reference(digest);
        var (mediaType, manifest) = await SendAsync($"reading the manifest of {source}", () => ManifestRequest(HttpMethod.Get, digest.Value), async response =>
        {
            if (response.StatusCode != HttpStatusCode.OK)
                throw new BuildFailure(
                    $"Tagging {source} as {tag} failed: the registry {_repository.Host} has no such manifest ({(int)response.StatusCode} {response.ReasonPhrase}). " +
                    "The image may have been deleted (cleanup) or pushed to another registry; deploy a freshly pushed image first.");
            var type = response.Content.Headers.ContentType?.MediaType
                       ?? throw new BuildFailure($"reading the manifest of {source}: the registry {_repository.Host} answered without a Content-Type.");
            return (type, await response.Content.ReadAsByteArrayAsync(cancellation));
        }, cancellation);

        var stored = await SendAsync($"tagging {source} as {tag}", () => new HttpRequestMessage(HttpMethod.Put, $"manifests/{tag.Value}")
        {
            Content = new ByteArrayContent(manifest) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } },
        }, response => Task.FromResult(response.IsSuccessStatusCode
            ? response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } answered ? answered : digest.Value
            : throw new BuildFailure($"tagging {source} as {tag}: the registry {_repository.Host} answered {(int)response.StatusCode} {response.ReasonPhrase}.")),
            cancellation);
        if (stored != digest.Value)
            throw new BuildFailure($"tagging {source} as {tag}: the registry {_repository.Host} stored the manifest as {stored}, not {digest}; the tag {tag} is not trustworthy.");
    }

    /// <summary>
    /// Tags <paramref name="digest"/> as the release <paramref name="tag"/>, which never moves: true when it tagged it now,
    /// false when the tag already pointed at that digest (a promotion run again); a tag on another digest is refused,
    /// naming both, with nothing changed.
    /// </summary>
    public async Task<bool> TagReleaseAsync(ImageDigest digest, ImageTag tag, CancellationToken cancellation)
    {
        var existing = await ResolveAsync(tag.Value, cancellation);
        if (existing == digest)
            return false;
        if (existing is not null)
            throw new BuildFailure(
                $"Won't tag {_repository.Reference(digest)} as {tag}: {_repository.Reference(tag)} already exists with {existing}, and release tags are immutable. " +
                $"Nothing was changed. Release the new build under a new version (a new release/x.y.z branch), or find out why {tag} points at {existing}.");
        await RetagAsync(digest, tag, cancellation);
        return true;
    }

    public void Dispose() => _http.Dispose();

    // Tags are plain ([A-Za-z0-9_.-]) and digests must keep their colon, so the reference goes in as it is.
    private HttpRequestMessage ManifestRequest(HttpMethod method, string reference)
    {
        var request = new HttpRequestMessage(method, $"manifests/{reference}");
        foreach (var type in ManifestTypes)
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        return request;
    }

    /// <summary>One call under the retry policy. 404 is the handler's to read; 401/403 and other errors are failures a person can act on.</summary>
    private async Task<T> SendAsync<T>(
        string what, Func<HttpRequestMessage> request, Func<HttpResponseMessage, Task<T>> read, CancellationToken cancellation)
    {
        try
        {
            return await _retry.ExecuteAsync(async token =>
            {
                using var response = await SendOnceAsync(what, request(), token);
                if (response.IsSuccessStatusCode || response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
                    return await read(response);
                var body = await response.Content.ReadAsStringAsync(token);
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    throw Refused(what, response, body);
                if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
                    throw new TransientRegistryException($"{what}: the registry answered {(int)response.StatusCode} {response.ReasonPhrase}");
                throw new BuildFailure($"{what}: the registry {_repository.Host} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(body)}");
            }, cancellation);
        }
        catch (TransientRegistryException exception)
        {
            throw new BuildFailure(
                $"{exception.Message}, still after {_settings.MaxRetries + 1} attempts. " +
                $"Check that the registry {_repository.Host} is up and reachable (--registry / BUN_REGISTRY), then run again: cleanup is safe to repeat.");
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(string what, HttpRequestMessage request, CancellationToken cancellation)
    {
        try
        {
            return await _http.SendAsync(request, cancellation);
        }
        catch (HttpRequestException exception)
        {
            throw new TransientRegistryException($"{what}: {_http.BaseAddress!.GetLeftPart(UriPartial.Authority)} did not answer ({exception.Message})", exception);
        }
        catch (TaskCanceledException exception) when (!cancellation.IsCancellationRequested)
        {
            throw new TransientRegistryException($"{what}: no answer within {_http.Timeout.TotalSeconds:0} s", exception);
        }
        finally
        {
            request.Dispose();
        }
    }

    private BuildFailure Refused(string what, HttpResponseMessage response, string body)
    {
        var hint = _hasCredentials
            ? "Check --registry-username and --registry-password, and that they may read, write and delete in this repository."
            : "It needs credentials: set --registry-username and --registry-password.";
        return new BuildFailure($"{what}: the registry {_repository.Host} refused with {(int)response.StatusCode} {response.ReasonPhrase} ({Shorten(body)}). {hint}");
    }

    private string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
            return null;
        var match = links.Select(link => NextLink().Match(link)).FirstOrDefault(match => match.Success);
        // The link is absolute from the host (/v2/<name>/tags/list?…); the client's base is the repository's folder.
        return match is null ? null : new Uri(_http.BaseAddress!, match.Groups["url"].Value).ToString();
    }

    private static string Shorten(string body) => body.Length <= 300 ? body.Trim() : body[..300].Trim() + "…";

    [GeneratedRegex("<(?<url>[^>]+)>\\s*;\\s*rel=\"?next\"?")]
    private static partial Regex NextLink();
}

/// <summary>The body of <c>GET /v2/&lt;name&gt;/tags/list</c>.</summary>
internal sealed record TagList(string? Name, IReadOnlyList<string>? Tags);

// Source-generated, so the client also works where reflection-based JSON is off (trimmed or file-based apps).
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(TagList))]
internal sealed partial class RegistryJson : JsonSerializerContext;
