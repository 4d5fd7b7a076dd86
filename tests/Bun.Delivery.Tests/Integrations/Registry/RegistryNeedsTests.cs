using Bun.Delivery.Integrations.Registry;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Targets;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Registry;

/// <summary>"A configured registry answers /v2/", against real registries: the shared one and private ones with a login.</summary>
[Collection(Docker.ContainerImagesCollection.Name)]
public sealed class RegistryNeedsTests(RegistryServer registry, ITestOutputHelper log)
{
    [SkippableFact]
    public async Task A_registry_that_answers_is_ok()
    {
        registry.Require(log);

        var status = await RegistryNeeds.Answers(registry.Address, null, "no registry").Check(CancellationToken.None);

        status.State.ShouldBe(NeedState.Ok);
    }

    [Fact]
    public async Task Without_a_registry_nothing_is_checked_and_the_reason_is_given()
    {
        var status = await RegistryNeeds.Answers(null, null, "no --registry: the image stays in the local engine").Check(CancellationToken.None);

        status.ShouldBe(NeedStatus.NotChecked("no --registry: the image stays in the local engine"));
    }

    [Fact]
    public async Task A_registry_nothing_listens_at_is_missing_with_what_to_do()
    {
        var address = $"127.0.0.1:{RegistryProcess.FreePort()}";

        var status = await RegistryNeeds.Answers(address, null, "no registry").Check(CancellationToken.None);

        status.State.ShouldBe(NeedState.Missing);
        status.Detail.ShouldStartWith($"http://{address}/v2/ did not answer (");
        status.Detail.ShouldEndWith("start the registry or fix --registry.");
    }

    [Fact]
    public async Task A_registry_value_with_a_scheme_is_bad_input()
    {
        var failure = await Should.ThrowAsync<BuildFailure>(() => RegistryNeeds.Answers("https://ghcr.io/bun", null, "no registry").Check(CancellationToken.None));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
    }

    [SkippableFact]
    public async Task A_registry_that_refuses_the_login_is_missing_and_one_that_accepts_it_is_ok()
    {
        RegistryServer.RequirePrivate(log);
        await using var locked = await RegistryServer.StartPrivateAsync(RegistryLogins.Basic);

        var refused = await RegistryNeeds.Answers(locked.Address, RegistryLogins.User with { Password = "wrong-password" }, "no registry").Check(CancellationToken.None);
        var accepted = await RegistryNeeds.Answers(locked.Address, RegistryLogins.User, "no registry").Check(CancellationToken.None);

        refused.ShouldBe(NeedStatus.Missing($"{locked.Address} refused the login; check --registry-username and --registry-password."));
        accepted.ShouldBe(NeedStatus.Ok($"{locked.Address} answers"));
    }
}
