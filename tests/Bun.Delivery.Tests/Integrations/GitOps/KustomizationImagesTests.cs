using Bun.Delivery.Integrations.GitOps;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Integrations.GitOps;

public sealed class KustomizationImagesTests
{
    private const string Name = "ghcr.io/bun/bun-api";
    private static readonly PinnedImage Image = GitOpsSandbox.Image(1);

    private static string Overlay(string environment) =>
        File.ReadAllText(RepositoryRoot.PathOf("deploy", "overlays", environment, "kustomization.yaml"));

    [Theory]
    [InlineData("dev")]
    [InlineData("test")]
    [InlineData("stage")]
    [InlineData("prod")]
    public void Pinning_an_overlay_replaces_its_tag_with_the_digest_and_changes_nothing_else(string environment)
    {
        var before = Overlay(environment);

        var after = KustomizationImages.Pin(before, Name, Image);

        after.ShouldContain($"    digest: {Image.Digest.Value}\n");
        after.Replace($"    digest: {Image.Digest.Value}\n", "    newTag: latest\n").ShouldBe(before);
    }

    [Fact]
    public void Pinning_again_replaces_the_digest_in_place()
    {
        var first = KustomizationImages.Pin(Overlay("stage"), Name, Image);
        var second = KustomizationImages.Pin(first, Name, GitOpsSandbox.Image(2));

        second.ShouldBe(first.Replace(Image.Digest.Value, GitOpsSandbox.Image(2).Digest.Value));
        KustomizationImages.PinnedDigest(second, Name).ShouldBe(GitOpsSandbox.Image(2).Digest.Value);
    }

    [Fact]
    public void An_image_from_another_registry_is_pinned_with_newName_which_goes_when_it_comes_back()
    {
        var local = GitOpsSandbox.Image(3, "127.0.0.1:5000/bun-api");

        var pinned = KustomizationImages.Pin(Overlay("dev"), Name, local);
        var back = KustomizationImages.Pin(pinned, Name, Image);

        pinned.ShouldContain($"  - name: {Name}\n    newName: 127.0.0.1:5000/bun-api\n    digest: {local.Digest.Value}\n");
        back.ShouldBe(KustomizationImages.Pin(Overlay("dev"), Name, Image));
    }

    [Fact]
    public void Other_images_and_comments_are_left_alone()
    {
        const string yaml = """
            resources:
              - ../../base
            images:
              # the sidecar is pinned by hand
              - name: busybox
                newTag: "1.36"
              - name: ghcr.io/bun/bun-api   # the app
                newTag: latest
            # end
            """;

        var pinned = KustomizationImages.Pin(yaml, Name, Image);

        pinned.ShouldBe(yaml.Replace("    newTag: latest", $"    digest: {Image.Digest.Value}"));
    }

    [Fact]
    public void An_entry_whose_first_field_is_the_tag_keeps_its_dash()
    {
        const string yaml = "images:\n- newTag: latest\n  name: ghcr.io/bun/bun-api\n";

        var pinned = KustomizationImages.Pin(yaml, Name, Image);

        pinned.ShouldBe($"images:\n- name: ghcr.io/bun/bun-api\n  digest: {Image.Digest.Value}\n");
    }

    [Fact]
    public void A_missing_entry_or_images_list_is_added_at_the_end()
    {
        const string withOther = "resources:\n  - ../../base\nimages:\n  - name: busybox\n    newTag: \"1.36\"\n";
        const string withoutImages = "resources:\n  - ../../base";

        KustomizationImages.Pin(withOther, Name, Image)
            .ShouldBe($"{withOther}  - name: {Name}\n    digest: {Image.Digest.Value}\n");
        KustomizationImages.Pin(withoutImages, Name, Image)
            .ShouldBe($"{withoutImages}\nimages:\n  - name: {Name}\n    digest: {Image.Digest.Value}\n");
    }

    [Fact]
    public void Windows_line_endings_are_kept()
    {
        var crlf = Overlay("test").Replace("\n", "\r\n");

        var pinned = KustomizationImages.Pin(crlf, Name, Image);

        pinned.ShouldBe(KustomizationImages.Pin(Overlay("test"), Name, Image).Replace("\n", "\r\n"));
    }

    [Fact]
    public void A_flow_style_images_list_is_refused_rather_than_rewritten()
    {
        var failure = Should.Throw<BuildFailure>(() => KustomizationImages.Pin($"images: [{{name: {Name}, newTag: latest}}]\n", Name, Image));

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldContain("block list");
    }
}
