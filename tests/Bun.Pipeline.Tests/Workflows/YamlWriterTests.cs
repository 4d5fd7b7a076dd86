using Bun.Pipeline.Workflows;

namespace Bun.Pipeline.Tests.Workflows;

public sealed class YamlWriterTests
{
    [Theory]
    [InlineData("main", "main")]
    [InlineData("feature/**", "feature/**")]
    [InlineData("${{ secrets.TOKEN }}", "${{ secrets.TOKEN }}")]
    [InlineData("./build.sh Ci --plan", "./build.sh Ci --plan")]
    [InlineData("on", "'on'")]
    [InlineData("No", "'No'")]
    [InlineData("0.10", "'0.10'")]
    [InlineData("Plan: what runs", "'Plan: what runs'")]
    [InlineData("it's", "it's")]
    [InlineData("*alias", "'*alias'")]
    [InlineData("can't: no", "'can''t: no'")]
    [InlineData("a # comment", "'a # comment'")]
    [InlineData("", "''")]
    public void Scalars_are_plain_unless_yaml_would_read_them_differently(string text, string written) =>
        YamlWriter.Scalar(new YamlScalar(text)).ShouldBe(written);

    [Fact]
    public void Sequences_of_mappings_continue_under_their_dash()
    {
        var document = new YamlMap([new("steps", new YamlSequence([new YamlMap([new("uses", YamlNode.Of("a")), new("with", new YamlMap([new("depth", YamlNode.Of(0))]))])]))]);

        YamlWriter.Write(document).ShouldBe("steps:\n  - uses: a\n    with:\n      depth: 0\n");
    }
}
