using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bun.Delivery.Model.Images;

namespace Bun.Delivery.Tests.Integrations.Registry;

/// <summary>The two ways a private test registry asks for a login: htpasswd (basic) and a token service (bearer).</summary>
internal static class RegistryLogins
{
    public static readonly RegistryCredentials User = new("bun", "bun-test-password");

    // bcrypt of User's password, as the registry's htpasswd file wants it (made once with perl's crypt).
    private const string Htpasswd = "bun:$2y$05$abcdefghijklmnopqrstuu2xpHYauogzDUw81hazKLu2/9fyfn8Ya\n";

    /// <summary>Writes the htpasswd file into <paramref name="folder"/> and returns the registry's <c>auth:</c> section.</summary>
    public static string Basic(string folder)
    {
        var file = Path.Combine(folder, "htpasswd");
        File.WriteAllText(file, Htpasswd);
        return $"auth:\n  htpasswd:\n    realm: bun-tests\n    path: {file}\n";
    }
}

/// <summary>
/// A token service as Docker Hub or GitLab run one, small enough for a test: it checks <see cref="RegistryLogins.User"/>
/// by basic authentication and answers a JWT for the requested scope, signed with a key whose certificate the registry
/// trusts (<c>rootcertbundle</c>). The registry verifies every token for real.
/// </summary>
internal sealed class TokenService : IAsyncDisposable
{
    private const string Issuer = "bun-test-issuer";
    private const string Service = "bun-test-registry";

    private readonly HttpListener _listener = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly Task _serving;
    private readonly string _bundle;

    /// <param name="folder">Where the registry reads the trusted certificate from: its own folder.</param>
    public TokenService(string folder)
    {
        _certificate = new CertificateRequest("CN=bun-test-tokens", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _bundle = Path.Combine(folder, "token-roots.pem");
        File.WriteAllText(_bundle, _certificate.ExportCertificatePem());
        Realm = $"http://127.0.0.1:{RegistryProcess.FreePort()}/token";
        _listener.Prefixes.Add(Realm[..Realm.LastIndexOf('/')] + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Realm { get; }

    public int TokensIssued { get; private set; }

    /// <summary>The registry's <c>auth:</c> section that sends clients here.</summary>
    public string AuthSection =>
        $"auth:\n  token:\n    realm: {Realm}\n    service: {Service}\n    issuer: {Issuer}\n    rootcertbundle: {_bundle}\n";

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (HttpListenerException)
        {
            // Stopping the listener ends the loop with this.
        }
        catch (ObjectDisposedException)
        {
            // Likewise, depending on where the loop was.
        }

        _listener.Close();
        _certificate.Dispose();
        _key.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync();
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryLogins.User.Username}:{RegistryLogins.User.Password}"));
            if (context.Request.Headers["Authorization"] != expected)
            {
                context.Response.StatusCode = 401;
                context.Response.Close();
                continue;
            }

            var scopes = context.Request.QueryString.GetValues("scope") ?? [];
            var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { token = Sign(scopes) }));
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
            TokensIssued++;
        }
    }

    private string Sign(IEnumerable<string> scopes)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var access = new JsonArray(scopes.Select(scope => scope.Split(':')).Where(parts => parts.Length == 3).Select(parts => (JsonNode)new JsonObject
        {
            ["type"] = parts[0],
            ["name"] = parts[1],
            ["actions"] = new JsonArray(parts[2].Split(',').Select(action => (JsonNode)action).ToArray()),
        }).ToArray());
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer, ["sub"] = RegistryLogins.User.Username, ["aud"] = Service, ["exp"] = now + 300, ["nbf"] = now - 10, ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"), ["access"] = access,
        };
        var signed = $"{Url(header.ToJsonString())}.{Url(claims.ToJsonString())}";
        return $"{signed}.{Url(_key.SignData(Encoding.UTF8.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
    }

    private static string Url(string text) => Url(Encoding.UTF8.GetBytes(text));

    private static string Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
