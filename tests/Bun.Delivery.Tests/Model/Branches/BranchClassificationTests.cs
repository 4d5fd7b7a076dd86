using Bun.Delivery.Model.Branches;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Model.Branches;

public sealed class BranchClassificationTests
{
    [Theory]
    [InlineData("main", BranchKind.Main, "main")]
    [InlineData("refs/heads/main", BranchKind.Main, "main")]
    [InlineData("feature/login", BranchKind.Feature, "feature/login")]
    [InlineData("feature/team/search/v2", BranchKind.Feature, "feature/team/search/v2")]
    [InlineData("refs/heads/feature/login", BranchKind.Feature, "feature/login")]
    [InlineData("fix/crash", BranchKind.Fix, "fix/crash")]
    [InlineData("fix/1.4/crash", BranchKind.Fix, "fix/1.4/crash")]
    [InlineData("master", BranchKind.Other, "master")]
    [InlineData("develop", BranchKind.Other, "develop")]
    [InlineData("features/login", BranchKind.Other, "features/login")]
    [InlineData("hotfix/crash", BranchKind.Other, "hotfix/crash")]
    [InlineData("feature", BranchKind.Other, "feature")]
    [InlineData("release", BranchKind.Other, "release")]
    [InlineData("Main", BranchKind.Other, "Main")]
    [InlineData("refs/tags/v1.4.0", BranchKind.Other, "refs/tags/v1.4.0")]
    public void Branches_are_classified_by_name(string reference, BranchKind kind, string name)
    {
        var branch = Branch.Classify(reference);

        branch.Kind.ShouldBe(kind);
        branch.Name.ShouldBe(name);
        branch.Version.ShouldBeNull();
    }

    [Theory]
    [InlineData("release/1.4.0", "1.4.0")]
    [InlineData("refs/heads/release/0.0.1", "0.0.1")]
    [InlineData("release/10.20.300", "10.20.300")]
    public void A_release_branch_carries_its_version(string reference, string version)
    {
        var branch = Branch.Classify(reference);

        branch.Kind.ShouldBe(BranchKind.Release);
        branch.Version.ShouldBe(version);
    }

    [Theory]
    [InlineData("release/")]
    [InlineData("release/abc")]
    [InlineData("release/1.4")]
    [InlineData("release/1.4.0.1")]
    [InlineData("release/01.4.0")]
    [InlineData("release/1.4.0-rc.1")]
    [InlineData("release/v1.4.0")]
    [InlineData("refs/heads/release/1.4")]
    public void A_malformed_release_branch_is_bad_input_naming_the_branch_and_the_expected_form(string reference)
    {
        var failure = Should.Throw<BuildFailure>(() => Branch.Classify(reference));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain($"'{reference.Replace("refs/heads/", "")}'");
        failure.Message.ShouldContain("release/MAJOR.MINOR.PATCH");
    }

    [Fact]
    public void A_detached_HEAD_is_kind_other_and_says_so_in_messages()
    {
        var branch = Branch.Classify("HEAD");

        branch.Kind.ShouldBe(BranchKind.Other);
        branch.IsDetached.ShouldBeTrue();
        branch.ToString().ShouldBe("a detached HEAD");
    }
}
