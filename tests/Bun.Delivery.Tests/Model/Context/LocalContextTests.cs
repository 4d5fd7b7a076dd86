using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Context;
using Bun.Delivery.Tests.Support;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Processes;

namespace Bun.Delivery.Tests.Model.Context;

/// <summary>The context on a laptop: git for the branch and commit, options for the rest.</summary>
public sealed class LocalContextTests
{
    private static readonly GitHead OnFeature = new("feature/login", Hosts.FixtureCommit);

    [Fact]
    public void Without_options_the_event_is_a_push_of_the_current_branch()
    {
        var context = LocalContext.Create(OnFeature, new SimulatedEvent());

        context.ShouldBe(new DeliveryContext(DeliveryHost.Local, new Branch("feature/login", BranchKind.Feature), DeliveryEvent.Push, Hosts.FixtureCommit));
    }

    [Fact]
    public void A_simulated_pull_request_is_from_the_current_branch_into_main_unless_told_otherwise()
    {
        var context = LocalContext.Create(OnFeature, new SimulatedEvent(DeliveryEvent.PullRequest));

        context.Branch.Name.ShouldBe("feature/login");
        context.BaseBranch.ShouldBe(LocalContext.DefaultBase);
        context.Merged.ShouldBeNull();
        context.PullRequestNumber.ShouldBeNull();
    }

    [Fact]
    public void A_simulated_closed_pull_request_takes_its_head_from_the_option_and_is_unmerged_by_default()
    {
        var context = LocalContext.Create(new GitHead("main", Hosts.FixtureCommit), new SimulatedEvent(DeliveryEvent.PullRequestClosed, Head: "fix/crash", PullRequestNumber: 3));

        context.Branch.ShouldBe(new Branch("fix/crash", BranchKind.Fix));
        context.HeadBranch.ShouldBe("fix/crash");
        context.Merged.ShouldBe(false);
        context.PullRequestNumber.ShouldBe(3);
    }

    [Fact]
    public async Task Git_gives_the_current_branch_and_the_full_commit()
    {
        using var folder = new TempFolder();
        var commit = await Git.InitAsync(folder.Path, "feature/team/search");

        var head = await LocalContext.ReadGitAsync(Processes(), AbsolutePath.From(folder.Path), CancellationToken.None);

        head.ShouldBe(new GitHead("feature/team/search", commit));
    }

    [Fact]
    public async Task A_detached_HEAD_reads_as_git_names_it()
    {
        using var folder = new TempFolder();
        await Git.InitAsync(folder.Path, "main");
        await Git.RunAsync(folder.Path, "checkout", "--quiet", "--detach");

        var head = await LocalContext.ReadGitAsync(Processes(), AbsolutePath.From(folder.Path), CancellationToken.None);

        Branch.Classify(head.Branch).IsDetached.ShouldBeTrue();
    }

    [Fact]
    public async Task The_changed_files_are_the_tracked_ones_that_differ_from_HEAD_staged_or_not()
    {
        using var folder = new TempFolder();
        await Git.InitAsync(folder.Path, "main");
        const string tracked = "readme.txt";
        await File.WriteAllTextAsync(Path.Combine(folder.Path, tracked), "first\n");
        await Git.RunAsync(folder.Path, "add", tracked);
        await Git.RunAsync(folder.Path, "-c", "user.name=Bun Tests", "-c", "user.email=tests@bun.invalid", "-c", "commit.gpgsign=false", "commit", "--quiet", "--message", "readme");
        await File.AppendAllTextAsync(Path.Combine(folder.Path, tracked), "changed\n");
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "new notes.txt"), "staged\n");
        await Git.RunAsync(folder.Path, "add", "new notes.txt");
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "untracked.txt"), "never listed\n");

        var checkout = await LocalContext.ReadCheckoutAsync(Processes(), AbsolutePath.From(folder.Path), CancellationToken.None);

        checkout.ChangedFiles.Order().ShouldBe(new[] { tracked, "new notes.txt" }.Order());
        checkout.Head.Branch.ShouldBe("main");
    }

    [Fact]
    public async Task A_checkout_without_a_commit_cannot_tell_its_commit()
    {
        using var folder = new TempFolder();
        await Git.RunAsync(folder.Path, "init", "--quiet", "--initial-branch", "main");

        var failure = await Should.ThrowAsync<BuildFailure>(() => LocalContext.ReadCheckoutAsync(Processes(), AbsolutePath.From(folder.Path), CancellationToken.None));

        failure.Message.ShouldBe($"git cannot tell the branch and commit of {folder.Path} (it has no commit yet); run the build in a git checkout with at least one commit.");
    }

    private static ProcessRunner Processes() => new(new BuildOutput(TextWriter.Null, new OutputStyle(Colour: false, GitHubActions: false), new SecretMasker()));
}
