using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;
using System.Xml.Linq;

namespace Bun.Build.Tests.Packaging;

/// <summary>What <c>./build.sh Pack</c> makes: versioned, documented packages with symbols and source links, and the template.</summary>
public sealed class PackagesTests(PackedRepository packed) : IClassFixture<PackedRepository>
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [Fact]
    public void Pack_of_a_dirty_tree_succeeds_and_warns_that_the_version_carries_no_clean_tag()
    {
        packed.Pack.ExitCode.ShouldBe(0, packed.Pack.All);
        packed.Pack.All.ShouldContain("uncommitted changes, so the packages' version carries no clean tag");
    }

    [Fact]
    public void Packages_take_their_version_from_the_git_tag()
    {
        File.Exists(packed.PackagePath("Bun.Pipeline")).ShouldBeTrue(packed.Pack.All);
        File.Exists(packed.PackagePath("Bun.Delivery")).ShouldBeTrue();
        File.Exists(packed.PackagePath("Bun.Templates")).ShouldBeTrue();
        File.Exists(packed.PackagePath("Bun.Pipeline", "snupkg")).ShouldBeTrue();
        File.Exists(packed.PackagePath("Bun.Delivery", "snupkg")).ShouldBeTrue();
    }

    [Theory]
    [InlineData("Bun.Pipeline")]
    [InlineData("Bun.Delivery")]
    public void Library_package_carries_the_dll_its_documentation_the_readme_licence_and_repository(string id)
    {
        using var package = ZipFile.OpenRead(packed.PackagePath(id));

        package.GetEntry($"lib/net10.0/{id}.dll").ShouldNotBeNull();
        PackedRepository.ReadEntry(package, $"lib/net10.0/{id}.xml").ShouldContain("<member name=");
        PackedRepository.ReadEntry(package, "README.md").ShouldContain($"# {id}");
        var metadata = Nuspec(package);
        metadata.Element("version")!.Value.ShouldBe(PackedRepository.Version);
        metadata.Element("license")!.Value.ShouldBe("MIT");
        metadata.Element("readme")!.Value.ShouldBe("README.md");
        var repository = metadata.Element("repository")!;
        repository.Attribute("url")!.Value.ShouldBe(PackedRepository.RepositoryUrl);
        repository.Attribute("commit")!.Value.ShouldBe(packed.Commit);
    }

    [Theory]
    [InlineData("Bun.Pipeline")]
    [InlineData("Bun.Delivery")]
    public void Symbols_map_the_sources_to_the_packed_commit_on_GitHub(string id)
    {
        using var symbols = ZipFile.OpenRead(packed.PackagePath(id, "snupkg"));
        using var pdb = new MemoryStream();
        using (var entry = symbols.GetEntry($"lib/net10.0/{id}.pdb")!.Open())
            entry.CopyTo(pdb);
        pdb.Position = 0;

        var sourceLink = SourceLinkOf(pdb);

        sourceLink.ShouldContain($"https://raw.githubusercontent.com/bun-org/bun/{packed.Commit}/*");
    }

    [Fact]
    public void Template_package_carries_the_repository_bootstrap_scripts_and_references_the_packed_version()
    {
        using var package = ZipFile.OpenRead(packed.PackagePath("Bun.Templates"));

        Nuspec(package).Element("packageTypes")!.Elements().Single().Attribute("name")!.Value.ShouldBe("Template");
        PackedRepository.ReadEntry(package, "content/bun-build/build.sh").ShouldBe(File.ReadAllText(Path.Combine(packed.Root, "build.sh")));
        PackedRepository.ReadEntry(package, "content/bun-build/build.ps1").ShouldBe(File.ReadAllText(Path.Combine(packed.Root, "build.ps1")));
        var config = PackedRepository.ReadEntry(package, "content/bun-build/.template.config/template.json");
        config.ShouldContain($"\"value\": \"{PackedRepository.Version}\"");
        config.ShouldContain("(OS != \\\"Windows_NT\\\")"); // copied byte for byte, backslashes and all
    }

    [Fact]
    public async Task Template_output_builds_from_the_packages_alone()
    {
        using var consumer = new Consumer(packed);
        (await consumer.NewAsync("--delivery")).ExitCode.ShouldBe(0);

        File.ReadAllText(consumer.PathOf("build", "_build.csproj")).ShouldContain($"Include=\"Bun.Delivery\" Version=\"{PackedRepository.Version}\"");
        File.ReadAllText(consumer.PathOf("build", "_build.csproj")).ShouldNotContain("ProjectReference");
        File.ReadAllText(consumer.PathOf("build", "Build.Environments.cs")).ShouldContain("DefineEnvironments()");
        var build = await consumer.DotnetAsync("build", consumer.PathOf("build", "_build.csproj"), "--nologo");
        build.ExitCode.ShouldBe(0, build.All);
    }

    [Fact]
    public async Task Template_refuses_to_overwrite_an_existing_build_unless_forced()
    {
        using var consumer = new Consumer(packed);
        (await consumer.NewAsync()).ExitCode.ShouldBe(0);
        File.WriteAllText(consumer.PathOf("build", "Build.cs"), "// the repository's own build");

        var again = await consumer.NewAsync();
        var forced = await consumer.NewAsync("--force");

        again.ExitCode.ShouldNotBe(0);
        again.All.ShouldContain("build/Build.cs");
        again.All.ShouldContain("--force");
        forced.ExitCode.ShouldBe(0, forced.All);
        File.ReadAllText(consumer.PathOf("build", "Build.cs")).ShouldContain("BuildRunner.RunAsync<Build>");
    }

    [Fact]
    public async Task Template_without_delivery_uses_the_engine_alone_and_can_leave_global_json_out()
    {
        using var consumer = new Consumer(packed);
        const string OwnGlobalJson = "{ \"sdk\": { \"version\": \"10.0.100\", \"rollForward\": \"latestMajor\" } }";
        File.WriteAllText(consumer.PathOf("global.json"), OwnGlobalJson);

        (await consumer.NewAsync("--global-json", "false")).ExitCode.ShouldBe(0);

        File.ReadAllText(consumer.PathOf("global.json")).ShouldBe(OwnGlobalJson);
        File.ReadAllText(consumer.PathOf("build", "_build.csproj")).ShouldNotContain("Bun.Delivery");
        File.Exists(consumer.PathOf("build", "Build.Ci.cs")).ShouldBeFalse();
        File.Exists(consumer.PathOf("build", "Build.Environments.cs")).ShouldBeFalse();
        File.Exists(consumer.PathOf(".nuke", "parameters.json")).ShouldBeTrue();
        File.Exists(consumer.PathOf("build.sh")).ShouldBeTrue();
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(consumer.PathOf("build.sh")).HasFlag(UnixFileMode.UserExecute).ShouldBeTrue();
    }

    private static XElement Nuspec(ZipArchive package)
    {
        var entry = package.Entries.Single(entry => entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        return StripNamespace(XDocument.Load(stream).Root!.Elements().Single(element => element.Name.LocalName == "metadata"));
    }

    // The nuspec's namespace changes with the NuGet version; the tests read names only.
    private static XElement StripNamespace(XElement element) =>
        new(element.Name.LocalName, element.Attributes().Where(attribute => !attribute.IsNamespaceDeclaration),
            element.Nodes().Select(node => node is XElement child ? StripNamespace(child) : node));

    private static string SourceLinkOf(Stream pdb)
    {
        using var provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
        var reader = provider.GetMetadataReader();
        foreach (var handle in reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
        {
            var information = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(information.Kind) == SourceLinkKind)
                return Encoding.UTF8.GetString(reader.GetBlobBytes(information.Value));
        }
        throw new InvalidOperationException("the PDB has no SourceLink information");
    }

    /// <summary>A repository outside Bun's, with the template installed in a private hive and NuGet pointed at the feed.</summary>
    private sealed class Consumer : IDisposable
    {
        private readonly string _root = Directory.CreateTempSubdirectory("bun-consumer-").FullName;
        private readonly PackedRepository _packed;

        public Consumer(PackedRepository packed)
        {
            _packed = packed;
            var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            Directory.CreateDirectory(PathOf("repository"));
            File.WriteAllText(PathOf("nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources><add key="bun-local" value="{packed.Feed}" /></packageSources>
                  <fallbackPackageFolders><add key="machine" value="{machinePackages}" /></fallbackPackageFolders>
                </configuration>
                """);
        }

        private string Hive => Path.Combine(_root, "hive");

        public string PathOf(params string[] parts) => Path.Combine([_root, "repository", .. parts]);

        public Task<BuildRun> DotnetAsync(params string[] arguments) =>
            Dotnet.RunAsync(PathOf(), Path.Combine(_root, "packages"), arguments);

        public async Task<BuildRun> NewAsync(params string[] options)
        {
            if (!Directory.Exists(Hive))
            {
                var install = await DotnetAsync("new", "install", _packed.PackagePath("Bun.Templates"), "--debug:custom-hive", Hive);
                install.ExitCode.ShouldBe(0, install.All);
            }
            return await DotnetAsync(["new", "bun-build", "--debug:custom-hive", Hive, .. options]);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // A build server may still hold a file; the temp folder is cleaned up by the system eventually.
            }
        }
    }
}
