namespace Bun.Pipeline.Tests.PublicApi;

public sealed class PublicApiTests
{
    [Fact]
    public void Public_types_of_the_package_match_the_committed_list()
    {
        var snapshot = RepositoryRoot.PathOf("tests", "Bun.Pipeline.Tests", "PublicApi", "Bun.Pipeline.txt");

        var (committed, actual) = PublicApiSnapshot.Compare(typeof(global::Bun.Pipeline.Build).Assembly, snapshot);

        actual.ShouldBe(committed, PublicApiSnapshot.HowToUpdate(snapshot));
    }
}
