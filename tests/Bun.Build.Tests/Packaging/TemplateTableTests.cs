using System.Text.RegularExpressions;

namespace Bun.Build.Tests.Packaging;

/// <summary>The table <c>dotnet new bun-build --delivery</c> scaffolds starts as Bun's own, row for row.</summary>
public sealed partial class TemplateTableTests
{
    [Fact]
    public void Template_scaffolds_a_copy_of_Buns_environments_table()
    {
        var bun = Rows(RepositoryRoot.PathOf("src", "Bun.Delivery", "Model", "Rules", "Environments.cs"));
        var scaffolded = Rows(RepositoryRoot.PathOf("src", "Bun.Templates", "content", "bun-build", "build", "Build.Environments.cs"));

        bun.Count.ShouldBe(5);
        scaffolded.ShouldBe(bun, "the template's build/Build.Environments.cs differs from Bun's table; copy the rows of Environments.cs");
    }

    private static List<string> Rows(string file) =>
        Row().Matches(File.ReadAllText(file)).Select(match => Whitespace().Replace(match.Value, " ")).ToList();

    [GeneratedRegex(@"public static readonly DeliveryEnvironment \w+ = new\(.*?\);", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
