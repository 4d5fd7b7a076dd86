using System.Formats.Tar;
using Bun.Delivery.Integrations.Docker;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Integrations.Docker;

public sealed class BuildContextTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bun-context-");

    [Fact]
    public async Task The_tar_holds_what_dockerignore_lets_through_and_always_the_dockerfile()
    {
        Write("Dockerfile", "FROM scratch");
        Write(".dockerignore", "Dockerfile\nbin/\n*.log\n!keep.log\n");
        Write("src/app.cs", "class App;");
        Write("bin/app.dll", "binary");
        Write("debug.log", "noise");
        Write("keep.log", "wanted");

        await using var context = await BuildContext.CreateAsync(_folder.FullName, "Dockerfile", CancellationToken.None);

        (await Entries(context)).ShouldBe([".dockerignore", "Dockerfile", "keep.log", "src/", "src/app.cs"]);
        context.DockerfileInContext.ShouldBe("Dockerfile");
    }

    [Fact]
    public async Task Entries_belong_to_root_whoever_owns_the_files()
    {
        Write("Dockerfile", "FROM scratch");

        await using var context = await BuildContext.CreateAsync(_folder.FullName, "Dockerfile", CancellationToken.None);
        await using var reader = new TarReader(context.Tar, leaveOpen: true);

        var entry = (await reader.GetNextEntryAsync())!;
        (entry.Uid, entry.Gid).ShouldBe((0, 0));
    }

    [Fact]
    public async Task A_missing_context_is_bad_input_that_says_what_to_run_first() =>
        (await Should.ThrowAsync<BuildFailure>(() => BuildContext.CreateAsync(Path.Combine(_folder.FullName, "nope"), "Dockerfile", CancellationToken.None)))
        .ExitCode.ShouldBe(ExitCodes.BadInput);

    public void Dispose() => _folder.Delete(recursive: true);

    private void Write(string relativePath, string content)
    {
        var path = Path.Combine(_folder.FullName, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static async Task<List<string>> Entries(BuildContext context)
    {
        var names = new List<string>();
        await using var reader = new TarReader(context.Tar, leaveOpen: true);
        while (await reader.GetNextEntryAsync() is { } entry)
            names.Add(entry.Name);
        return names;
    }
}
