using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Context;
using Bun.Delivery.Model.Images;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Model.Images;

public sealed class ImageTagsTests
{
    private const string Sha = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";

    [Theory]
    [InlineData("feature/login", "feature-login-1a2b3c4")]
    [InlineData("feature/team/Login", "feature-team-login-1a2b3c4")]
    [InlineData("fix/urgent-crash", "fix-urgent-crash-1a2b3c4")]
    [InlineData("main", "main-1a2b3c4")]
    [InlineData("release/1.4.0", "1.4.0-rc.1a2b3c4")]
    public void Each_branch_kind_gets_the_tag_of_the_delivery_model(string branch, string expected) =>
        ImageTags.For(Branch.Classify(branch), Sha).Value.ShouldBe(expected);

    [Fact]
    public void A_pull_request_builds_its_own_tag()
    {
        var context = new DeliveryContext(DeliveryHost.GitHubActions, Branch.Classify("feature/login"), DeliveryEvent.PullRequest, Sha)
        {
            PullRequestNumber = 42,
            BaseBranch = "main",
        };

        ImageTags.For(context).Value.ShouldBe("pr-42-1a2b3c4");
    }

    [Fact]
    public void A_dirty_work_tree_gives_a_dirty_tag_and_label_that_still_belong_to_the_branch()
    {
        var context = new DeliveryContext(DeliveryHost.Local, Branch.Classify("feature/login"), DeliveryEvent.Push, Sha) { ChangedFiles = ["src/Bun.Api/Program.cs"] };
        var labels = ImageLabels.For(Sha, null, ImageTags.For(context), DateTimeOffset.UnixEpoch);

        ImageTags.For(context).Value.ShouldBe("feature-login-1a2b3c4-dirty");
        ImageTags.BelongsTo(Branch.Classify("feature/login"), "feature-login-1a2b3c4-dirty").ShouldBeTrue();
        ImageTags.BelongsTo(Branch.Classify("feature/login"), "feature-login-1a2b3c4-dirtyish").ShouldBeFalse();
        ImageLabels.WithDirty(labels, context.ChangedFiles)[ImageLabels.Dirty].ShouldBe("src/Bun.Api/Program.cs");
        ImageLabels.WithDirty(labels, []).ShouldNotContainKey(ImageLabels.Dirty);
    }

    [Fact]
    public void A_pull_request_without_a_number_is_bad_input_that_says_so()
    {
        var failure = Should.Throw<BuildFailure>(() => ImageTags.ForPullRequest(null, Sha));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("pr-<number>-<sha7>");
    }

    [Fact]
    public void An_awkward_branch_name_still_gives_a_valid_tag()
    {
        var awkward = "feature/Ünïcode_and.dots/" + new string('x', 300);

        var tag = ImageTags.For(Branch.Classify(awkward), Sha).Value;

        tag.Length.ShouldBeLessThanOrEqualTo(ImageTag.MaxLength);
        tag.ShouldMatch("^feature-unicode-and-dots-x+-[0-9a-f]{8}-1a2b3c4$");
    }

    [Fact]
    public void Other_branches_get_no_image_and_are_told_why()
    {
        var failure = Should.Throw<BuildFailure>(() => ImageTags.For(Branch.Classify("experiment"), Sha));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("'experiment'");
    }

    [Fact]
    public void A_commit_that_is_not_a_sha_is_bad_input() =>
        Should.Throw<BuildFailure>(() => ImageTags.For(Branch.Classify("main"), "not-a-sha")).ExitCode.ShouldBe(ExitCodes.BadInput);

    [Theory]
    [InlineData("feature-login-1a2b3c4", true)]
    [InlineData("feature-login-ffffff0", true)]
    [InlineData("feature-login-extra-1a2b3c4", false)]
    [InlineData("feature-login-1a2b3c", false)]
    [InlineData("feature-login-1a2b3c4d", false)]
    [InlineData("fix-login-1a2b3c4", false)]
    [InlineData("main-1a2b3c4", false)]
    public void Only_the_branch_own_tags_belong_to_it(string tag, bool belongs) =>
        ImageTags.BelongsTo(Branch.Classify("feature/login"), tag).ShouldBe(belongs);

    [Fact]
    public void Every_tag_the_rules_make_belongs_to_its_branch_and_no_other()
    {
        var branch = Branch.Classify("fix/Ünïcode_and.dots");
        var tag = ImageTags.For(branch, Sha).Value;

        ImageTags.BelongsTo(branch, tag).ShouldBeTrue();
        ImageTags.BelongsTo(Branch.Classify("fix/unicode"), tag).ShouldBeFalse();
    }
}
