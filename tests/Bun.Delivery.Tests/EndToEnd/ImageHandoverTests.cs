namespace Bun.Delivery.Tests.EndToEnd;

/// <summary>
/// A workflow's deploy job runs on another machine than the build job: it gets the pushed digest as <c>--image</c>
/// (the build job's output) instead of the record file, and pins exactly that.
/// </summary>
public sealed class ImageHandoverTests
{
    [Fact]
    public async Task A_deploy_with_image_pins_that_digest_without_any_pushed_image_record()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync("main");
        var digest = DeliveryCheckout.FakeDigest("handed over");
        File.Exists(checkout.PushedImageRecord).ShouldBeFalse();

        var run = await checkout.RunAsync("DeployDev", "--image", $"ghcr.io/bun/bun-api@{digest.Value}");

        run.ExitCode.ShouldBe(0, run.All);
        (await checkout.PinnedAsync("dev")).ShouldBe(digest.Value);
        (await checkout.TrailersAsync(2))[1]["Bun-Version"].ShouldBe($"main-{checkout.Commit[..7]}");
    }

    [Fact]
    public async Task An_image_by_tag_is_refused_and_the_GitOps_repository_is_unchanged()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync("main");
        var head = await checkout.RemoteHeadAsync();

        var run = await checkout.RunAsync("DeployDev", "--image", "ghcr.io/bun/bun-api:main-1234567");

        run.ExitCode.ShouldBe(2, run.All);
        run.Error.ShouldContain("is not an image pinned by digest");
        run.StartedATarget.ShouldBeFalse();
        (await checkout.RemoteHeadAsync()).ShouldBe(head);
    }
}
