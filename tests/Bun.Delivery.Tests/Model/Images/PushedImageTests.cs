using Bun.Delivery.Model.Images;

namespace Bun.Delivery.Tests.Model.Images;

public sealed class PushedImageTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bun-pushed-");

    [Fact]
    public async Task A_recorded_push_reads_back_with_the_digest_deploys_pin()
    {
        var path = Path.Combine(_folder.FullName, "image", "pushed.json");
        var pushed = new PushedImage("127.0.0.1:5000/bun-api", "main-1a2b3c4", "sha256:" + new string('b', 64));

        await pushed.WriteAsync(path, CancellationToken.None);

        var read = await PushedImage.ReadAsync(path, CancellationToken.None);
        read.ShouldBe(pushed);
        read!.PinnedReference.ShouldBe($"127.0.0.1:5000/bun-api@sha256:{new string('b', 64)}");
    }

    [Fact]
    public async Task Without_a_recorded_push_there_is_nothing_to_deploy() =>
        (await PushedImage.ReadAsync(Path.Combine(_folder.FullName, "none.json"), CancellationToken.None)).ShouldBeNull();

    public void Dispose() => _folder.Delete(recursive: true);
}
