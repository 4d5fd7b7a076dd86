using Bun.Delivery.Model.Context;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>
/// What a deploy checks about the code before it changes anything (docs/deploy.md): the work tree is committed, and
/// where the environment's gate says tests must pass, that Test passed on this commit. The proof is the record Test
/// leaves under <c>.nuke/temp/tests-passed/&lt;commit&gt;</c> after a full, passing run on a clean work tree, in this
/// run or an earlier one; in GitHub Actions, the build job that tested the commit, which every generated deploy job needs.
/// </summary>
public static class DeploymentGates
{
    /// <summary>Where Test records that it passed on <paramref name="commit"/>.</summary>
    public static string TestProofPath(AbsolutePath root, string commit) => Path.Combine(root, ".nuke", "temp", "tests-passed", commit);

    /// <summary>After a passing Test: the proof for a deploy of this commit, unless the work tree was dirty or only some tests ran.</summary>
    public static async Task RecordPassedTestsAsync(AbsolutePath root, DeliveryContext context, bool allTests, BuildOutput output, CancellationToken cancellation)
    {
        var path = TestProofPath(root, context.Commit);
        if (!allTests || context.IsDirty)
        {
            output.Dim($"Not recorded as tested for a deploy: {(allTests ? "the work tree has uncommitted changes" : "--test-filter ran only some tests")}.");
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path + ".partial", $"Test passed on {context.Commit} at {DateTimeOffset.UtcNow:O}\n", cancellation);
        File.Move(path + ".partial", path, overwrite: true);
    }

    /// <summary>Refuses a deploy of uncommitted work: its image is not the commit's, and nothing could build it again.</summary>
    public static void RefuseUncommittedWork(DeliveryEnvironment environment, DeliveryContext context)
    {
        if (context.IsDirty)
            throw new BuildFailure(
                $"Won't deploy to {environment}: the work tree has uncommitted changes ({Files(context.ChangedFiles)}), so the image {ImageTags.For(context)} " +
                $"is not commit {Short(context.Commit)}. Commit or stash them, then run again; a dirty image stays on this machine.");
    }

    /// <summary>Refuses a deploy to an environment whose gate needs passing tests when nothing proves that Test passed on this commit.</summary>
    public static void RequirePassedTests(DeliveryEnvironment environment, DeliveryContext context, AbsolutePath root, bool isGitHubActions, BuildOutput output)
    {
        if (!environment.Gate.RequiresPassingTests())
            return;
        if (isGitHubActions)
        {
            output.Dim($"{environment}'s gate ({environment.Gate.Describe()}): this deploy job runs only after the build job that tested {Short(context.Commit)} succeeded.");
            return;
        }

        if (!File.Exists(TestProofPath(root, context.Commit)))
            throw new BuildFailure(
                $"Won't deploy to {environment}: its gate is \"{environment.Gate.Describe()}\", and nothing shows that Test passed on {Short(context.Commit)} " +
                $"(no record in {Path.GetRelativePath(root, Path.GetDirectoryName(TestProofPath(root, context.Commit))!)}/). " +
                "Let Test run (no --skip Test), or run ./build.sh Test on this commit first; --skip Test means the proof exists already.");
        output.Dim($"{environment}'s gate ({environment.Gate.Describe()}): Test passed on {Short(context.Commit)}.");
    }

    private static string Files(IReadOnlyList<string> files) =>
        string.Join(", ", files.Take(5)) + (files.Count > 5 ? $" and {files.Count - 5} more" : "");

    private static string Short(string sha) => sha[..Math.Min(7, sha.Length)];
}
