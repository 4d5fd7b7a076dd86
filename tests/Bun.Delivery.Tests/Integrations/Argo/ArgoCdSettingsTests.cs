using Bun.Delivery.Integrations.Argo;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Integrations.Argo;

public sealed class ArgoCdSettingsTests
{
    [Theory]
    [InlineData("argocd.example.com", "https://argocd.example.com/")]
    [InlineData("https://argocd.example.com/argo-cd", "https://argocd.example.com/argo-cd")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/")]
    public void The_server_is_a_url_or_a_host_as_the_argocd_cli_takes_it(string given, string expected) =>
        ArgoCdSettings.ParseServer(given).ToString().ShouldBe(expected);

    [Theory]
    [InlineData("https://admin:password@argocd.example.com")]
    [InlineData("ftp://argocd.example.com")]
    public void A_server_with_credentials_or_another_scheme_is_bad_input(string given)
    {
        var failure = Should.Throw<BuildFailure>(() => ArgoCdSettings.ParseServer(given));

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldNotContain("password");
    }

    [Fact]
    public void Settings_never_print_their_secrets()
    {
        var settings = new ArgoCdSettings(new Uri("https://argocd.example.com")) { Token = "tok-123456789", Password = "pw-123456789" };

        settings.ToString().ShouldNotContain("123456789");
    }
}
