using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Bun.Delivery.Integrations.Registry;
using Bun.Delivery.Model.Images;

namespace Bun.Delivery.Tests.Integrations.Registry;

/// <summary>
/// Puts tags into a real registry straight through its API, without an engine: one tiny config blob, and per image
/// an OCI manifest made distinct by an annotation. Tagging the same image twice gives two tags on one digest.
/// </summary>
internal sealed class RegistrySeeder(ImageRepository repository, RegistryCredentials? credentials = null) : IDisposable
{
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    private static readonly byte[] Config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{}}""");

    private readonly HttpClient _http = new(new RegistryAuthentication(credentials, new SocketsHttpHandler()))
    {
        BaseAddress = new Uri($"http://{repository.Host}/v2/{repository.Path}/"),
    };

    private bool _configUploaded;

    /// <summary>Tags <paramref name="image"/> (any name; equal names share a manifest) as <paramref name="tag"/>; returns its digest.</summary>
    public async Task<ImageDigest> TagAsync(string tag, string image)
    {
        await UploadConfigAsync();
        var manifest = Encoding.UTF8.GetBytes(
            $$$"""{"schemaVersion":2,"mediaType":"{{{ManifestType}}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{Digest(Config)}}}","size":{{{Config.Length}}}},"layers":[],"annotations":{"bun.test.image":"{{{image}}}"}}""");
        using var content = new ByteArrayContent(manifest) { Headers = { ContentType = new MediaTypeHeaderValue(ManifestType) } };
        using var response = await _http.PutAsync($"manifests/{tag}", content);
        response.EnsureSuccessStatusCode();
        return new ImageDigest(Digest(manifest));
    }

    public async Task TagManyAsync(IEnumerable<(string Tag, string Image)> tags, int parallelism = 8)
    {
        await UploadConfigAsync();
        await Parallel.ForEachAsync(tags, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (item, _) => await TagAsync(item.Tag, item.Image));
    }

    public void Dispose() => _http.Dispose();

    private async Task UploadConfigAsync()
    {
        if (_configUploaded)
            return;
        using var start = await _http.PostAsync("blobs/uploads/", null);
        start.EnsureSuccessStatusCode();
        var location = start.Headers.Location!.ToString();
        var upload = $"{location}{(location.Contains('?') ? '&' : '?')}digest={Digest(Config)}";
        using var content = new ByteArrayContent(Config) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };
        using var finish = await _http.PutAsync(upload, content);
        finish.EnsureSuccessStatusCode();
        _configUploaded = true;
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
