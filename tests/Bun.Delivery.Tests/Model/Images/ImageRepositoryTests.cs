using Bun.Delivery.Model.Images;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Model.Images;

public sealed class ImageRepositoryTests
{
    [Theory]
    [InlineData("ghcr.io/bun", "ghcr.io", "bun/bun-api")]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000", "bun-api")]
    [InlineData("registry.example.com:443/team/sub/", "registry.example.com:443", "team/sub/bun-api")]
    public void The_registry_parameter_splits_into_host_and_repository_path(string registry, string host, string path)
    {
        var repository = ImageRepository.Parse(registry, "bun-api");

        repository.Host.ShouldBe(host);
        repository.Path.ShouldBe(path);
        repository.Name.ShouldBe($"{host}/{path}");
    }

    [Theory]
    [InlineData("https://ghcr.io/bun")]
    [InlineData("ghcr.io/Bun")]
    [InlineData("bad host")]
    public void A_malformed_registry_is_bad_input(string registry) =>
        Should.Throw<BuildFailure>(() => ImageRepository.Parse(registry, "bun-api")).ExitCode.ShouldBe(ExitCodes.BadInput);

    [Fact]
    public void References_pin_by_tag_or_by_digest()
    {
        var repository = ImageRepository.Parse("127.0.0.1:5000", "bun-api");
        var digest = new ImageDigest("sha256:" + new string('a', 64));

        repository.Reference(new ImageTag("main-1a2b3c4")).ShouldBe("127.0.0.1:5000/bun-api:main-1a2b3c4");
        repository.Reference(digest).ShouldBe($"127.0.0.1:5000/bun-api@{digest}");
        repository.IsLoopback.ShouldBeTrue();
    }

    [Fact]
    public void Image_labels_are_the_oci_annotations()
    {
        var labels = ImageLabels.For("1a2b3c4d", "https://github.com/bun/bun", new ImageTag("main-1a2b3c4"), new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)));

        labels.ShouldBe(new Dictionary<string, string>
        {
            ["org.opencontainers.image.revision"] = "1a2b3c4d",
            ["org.opencontainers.image.source"] = "https://github.com/bun/bun",
            ["org.opencontainers.image.version"] = "main-1a2b3c4",
            ["org.opencontainers.image.created"] = "2026-01-02T01:04:05Z",
        });
    }
}
