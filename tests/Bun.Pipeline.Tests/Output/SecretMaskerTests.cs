using Bun.Pipeline.Output;

namespace Bun.Pipeline.Tests.Output;

public sealed class SecretMaskerTests
{
    [Fact]
    public void Every_occurrence_of_a_secret_is_masked()
    {
        var masker = new SecretMasker();
        masker.Add("hunter2");

        masker.Apply("user=admin password=hunter2 again=hunter2hunter2").ShouldBe("user=admin password=*** again=******");
    }

    [Fact]
    public void A_one_character_secret_is_masked_only_as_a_whole_token_so_words_stay_readable()
    {
        var masker = new SecretMasker();
        masker.Add("n");

        masker.Apply("Content-Type: n; password=n").ShouldBe("Content-Type: ***; password=***");
    }

    [Fact]
    public void A_secret_of_four_characters_or_more_is_masked_inside_words_too()
    {
        var masker = new SecretMasker();
        masker.Add("s3cr");

        masker.Apply("xs3crx and s3cr").ShouldBe("x***x and ***");
    }

    [Fact]
    public void A_secret_that_contains_another_is_masked_whole()
    {
        var masker = new SecretMasker();
        masker.Add("abc");
        masker.Add("abcdef-token");

        masker.Apply("full abcdef-token short abc").ShouldBe("full *** short ***");
    }

    [Fact]
    public void A_multi_line_secret_is_masked_whole_and_line_by_line()
    {
        var masker = new SecretMasker();
        masker.Add("-----BEGIN KEY-----\nc2VjcmV0LWtleS1ib2R5\n-----END KEY-----");

        masker.Apply("key: -----BEGIN KEY-----\nc2VjcmV0LWtleS1ib2R5\n-----END KEY----- end").ShouldBe("key: *** end");
        masker.Apply("  c2VjcmV0LWtleS1ib2R5  ").ShouldBe("  ***  ");
    }

    [Fact]
    public void A_multi_line_secret_with_windows_line_endings_is_masked_line_by_line()
    {
        var masker = new SecretMasker();
        masker.Add("first-line-value\r\nsecond-line-value\r\n");

        masker.Apply("printed first-line-value").ShouldBe("printed ***");
        masker.Apply("printed second-line-value").ShouldBe("printed ***");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_values_are_not_secrets(string? value)
    {
        var masker = new SecretMasker();
        masker.Add(value);

        masker.Secrets.ShouldBeEmpty();
        masker.Apply("some text with   spaces").ShouldBe("some text with   spaces");
    }

    [Fact]
    public void The_same_secret_added_twice_is_kept_once()
    {
        var masker = new SecretMasker();
        masker.Add("hunter2");
        masker.Add("hunter2");

        masker.Secrets.ShouldBe(["hunter2"]);
    }

    [Fact]
    public void A_JSON_document_is_masked_before_it_is_escaped()
    {
        var masker = new SecretMasker();
        masker.Add("quo\"te\\back");
        var document = new System.Text.Json.Nodes.JsonObject { ["token"] = "quo\"te\\back", ["list"] = new System.Text.Json.Nodes.JsonArray("quo\"te\\back", 1) };

        var json = masker.Apply(document)!.ToJsonString();

        json.ShouldBe("""{"token":"***","list":["***",1]}""");
    }
}
