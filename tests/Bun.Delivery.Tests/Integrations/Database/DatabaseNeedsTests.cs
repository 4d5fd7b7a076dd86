using Bun.Delivery.Integrations.Database;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Targets;

namespace Bun.Delivery.Tests.Integrations.Database;

public sealed class DatabaseNeedsTests
{
    [Fact]
    public async Task A_url_that_parses_is_ok_and_named_without_its_password()
    {
        var output = new RecordedOutput();

        var status = await DatabaseNeeds.UrlParses("postgres://bun:s3cret-pass@db.example.com:5433/bun_dev", output.Output, "none").Check(CancellationToken.None);

        status.ShouldBe(NeedStatus.Ok("bun@db.example.com:5433/bun_dev"));
        output.Output.Secrets.Apply("s3cret-pass").ShouldBe("***");
    }

    [Fact]
    public async Task A_url_that_does_not_parse_is_bad_input()
    {
        var failure = await Should.ThrowAsync<BuildFailure>(() => DatabaseNeeds.UrlParses("postgres://bun:pw@/", new RecordedOutput().Output, "none").Check(CancellationToken.None));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldStartWith("--database-url (BUN_DATABASE_URL)");
    }

    [Fact]
    public async Task Without_a_url_nothing_is_checked() =>
        (await DatabaseNeeds.UrlParses(null, new RecordedOutput().Output, "no --database-url").Check(CancellationToken.None))
        .ShouldBe(NeedStatus.NotChecked("no --database-url"));

    [Theory]
    [InlineData(-1, NeedState.Missing)]
    [InlineData(0, NeedState.Ok)]
    [InlineData(1000, NeedState.Ok)]
    public async Task Rows_are_zero_or_more(int rows, NeedState state) =>
        (await DatabaseNeeds.RowsInRange(rows).Check(CancellationToken.None)).State.ShouldBe(state);
}
