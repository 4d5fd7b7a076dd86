using Bun.Delivery.Integrations.Database;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Integrations.Database;

public sealed class DatabaseTargetTests
{
    private const string Url = "postgres://bun:secret@db:5432/notes";
    private readonly CapturedOutput _log = new();

    [Fact]
    public void Local_is_dummy_unless_database_real_is_asked_for()
    {
        DatabaseTarget.Resolve("local", DatabaseKind.Dummy, null, Url, _log.Output).ShouldSatisfyAllConditions(
            target => target.Kind.ShouldBe(DatabaseKind.Dummy),
            target => target.ResetRefusal.ShouldBeNull());

        var real = DatabaseTarget.Resolve("local", DatabaseKind.Dummy, DatabaseKind.Real, Url, _log.Output);

        real.ShouldSatisfyAllConditions(
            () => real.Kind.ShouldBe(DatabaseKind.Real),
            () => real.RealByOptIn.ShouldBeTrue(),
            () => real.ResetRefusal.ShouldNotBeNull().ShouldContain("--database real"));
        DatabaseTarget.ResetRefusalFor("local", DatabaseKind.Dummy, DatabaseKind.Real).ShouldBe(real.ResetRefusal);
    }

    [Theory]
    [InlineData("test")]
    [InlineData("stage")]
    [InlineData("prod")]
    public void Reset_is_refused_for_an_environment_whose_database_is_real(string environment)
    {
        var target = DatabaseTarget.Resolve(environment, DatabaseKind.Real, null, Url, _log.Output);

        target.ResetRefusal.ShouldNotBeNull().ShouldContain($"refuses {environment}: its database is real");
    }

    [Fact]
    public void The_database_option_overrides_only_local()
    {
        var failure = Should.Throw<BuildFailure>(() => DatabaseTarget.Resolve("prod", DatabaseKind.Real, DatabaseKind.Dummy, Url, _log.Output));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldBe("--database dummy applies only to local: prod's database is real (environment table). Drop --database.");
    }
}
