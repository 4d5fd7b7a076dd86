using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;

namespace Bun.Pipeline.Tests.Parameters;

public sealed class ParameterDescriptorTests
{
    [Theory]
    [InlineData("Registry", "registry")]
    [InlineData("DockerRegistry", "docker-registry")]
    [InlineData("HTTPPort", "http-port")]
    [InlineData("CIBuild", "ci-build")]
    [InlineData("_apiToken", "api-token")]
    public void Command_line_names_are_kebab_case_member_names(string member, string name)
    {
        ParameterDescriptor.Kebab(member).ShouldBe(name);
    }

    [Fact]
    public void Discovery_finds_fields_and_properties_including_inherited_ones_with_their_names()
    {
        var parameters = ParameterDescriptor.Discover(typeof(DerivedSettings));

        parameters.Select(parameter => parameter.Name).ShouldBe(["image-tag", "database-url", "registry", "verbosity"], ignoreOrder: true);
        var token = parameters.Single(parameter => parameter.MemberName == "DatabaseUrl");
        token.IsSecret.ShouldBeTrue();
        token.EnvironmentName.ShouldBe("BUN_DATABASE_URL");
        token.Description.ShouldBe("Connection string.");
        parameters.Single(parameter => parameter.MemberName == "_level").Name.ShouldBe("verbosity");
        parameters.Single(parameter => parameter.MemberName == "Registry").IsSecret.ShouldBeFalse();
    }

    [Fact]
    public void A_descriptor_lists_every_variable_that_sets_it_prefixed_one_first()
    {
        var parameters = ParameterDescriptor.Discover(typeof(AliasedSettings));

        parameters.Single(parameter => parameter.MemberName == "ApiUrl").EnvironmentNames.ShouldBe(["BUN_API_URL", "GITHUB_API_URL"]);
        parameters.Single(parameter => parameter.MemberName == "Token").EnvironmentNames.ShouldBe(["BUN_TOKEN"]);
    }

    [Fact]
    public void Read_and_write_reach_the_member()
    {
        var settings = new DerivedSettings();
        var field = ParameterDescriptor.Discover(typeof(DerivedSettings)).Single(parameter => parameter.Name == "verbosity");

        field.Write(settings, 3);

        field.Read(settings).ShouldBe(3);
    }

    [Fact]
    public void A_readonly_field_parameter_is_bad_input_naming_the_field()
    {
        var failure = Should.Throw<BuildFailure>(() => ParameterDescriptor.Discover(typeof(ReadonlySettings)));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("Parameter Registry is a readonly field");
    }

    [Fact]
    public void A_property_without_a_setter_is_bad_input_naming_the_property()
    {
        var failure = Should.Throw<BuildFailure>(() => ParameterDescriptor.Discover(typeof(GetterOnlySettings)));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("Parameter Registry has no setter");
    }

    private class BaseSettings
    {
        [Parameter("Registry.")]
        public string? Registry { get; set; }

        [Parameter("Log level.", Name = "verbosity")]
        private int _level = 1;

        public int Level => _level;
    }

    private sealed class DerivedSettings : BaseSettings
    {
        [Parameter("Tag of the image.")]
        public string? ImageTag { get; set; }

        [Parameter("Connection string."), Secret]
        public string? DatabaseUrl { get; private set; }

        public string NotAParameter { get; set; } = "";
    }

    private sealed class ReadonlySettings
    {
        [Parameter("Registry.")]
        public readonly string Registry = "ghcr.io";
    }

    private sealed class GetterOnlySettings
    {
        [Parameter("Registry.")]
        public string Registry => "ghcr.io";
    }

    private sealed class AliasedSettings
    {
        [Parameter("API root.", EnvironmentAliases = ["GITHUB_API_URL"])]
        public string? ApiUrl { get; set; }

        [Parameter("Token.")]
        public string? Token { get; set; }
    }
}
