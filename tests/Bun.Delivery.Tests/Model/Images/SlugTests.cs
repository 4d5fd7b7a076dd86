using Bun.Delivery.Model.Images;

namespace Bun.Delivery.Tests.Model.Images;

public sealed class SlugTests
{
    [Theory]
    [InlineData("login", "login")]
    [InlineData("team/Login-Page", "team-login-page")]
    [InlineData("Ünïcode_and.dots", "unicode-and-dots")]
    [InlineData("--a__b..c--", "a-b-c")]
    [InlineData("JIRA-123 fix", "jira-123-fix")]
    public void Slug_is_lower_case_letters_digits_and_single_dashes(string name, string expected) =>
        Slug.From(name).ShouldBe(expected);

    [Fact]
    public void A_long_name_is_shortened_to_the_bound_and_ends_in_a_hash_of_the_whole_name()
    {
        var first = Slug.From(new string('a', 300));
        var second = Slug.From(new string('a', 299) + "b");

        first.Length.ShouldBeLessThanOrEqualTo(Slug.MaxLength);
        first.ShouldMatch("^[a-z0-9]+(-[a-z0-9]+)*$");
        first.ShouldNotBe(second);
    }

    [Fact]
    public void A_name_with_nothing_usable_still_gets_a_stable_slug()
    {
        var slug = Slug.From("日本語");

        slug.ShouldMatch("^[a-z0-9]+$");
        Slug.From("日本語").ShouldBe(slug);
        Slug.From("中文").ShouldNotBe(slug);
    }
}
