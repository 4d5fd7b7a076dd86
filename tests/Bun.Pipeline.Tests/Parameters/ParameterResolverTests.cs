using Bun.Pipeline.Cli;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Tests.Support;

namespace Bun.Pipeline.Tests.Parameters;

public sealed class ParameterResolverTests : IDisposable
{
    private readonly TempFolder _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void The_command_line_wins_over_every_other_source()
    {
        _root.WriteNuke("parameters.json", """{ "DockerRegistry": "from-file" }""");

        var (settings, resolved) = Resolve(["--docker-registry", "from-command-line"], new() { ["BUN_DOCKER_REGISTRY"] = "from-environment" });

        settings.DockerRegistry.ShouldBe("from-command-line");
        resolved["docker-registry"].Source.ShouldBe("command line");
    }

    [Fact]
    public void The_environment_wins_over_parameters_files()
    {
        _root.WriteNuke("parameters.json", """{ "DockerRegistry": "from-file" }""");

        var (settings, resolved) = Resolve([], new() { ["BUN_DOCKER_REGISTRY"] = "from-environment" });

        settings.DockerRegistry.ShouldBe("from-environment");
        resolved["docker-registry"].Source.ShouldBe("environment variable BUN_DOCKER_REGISTRY");
    }

    [Theory]
    [InlineData("BUN_DOCKER_REGISTRY")]
    [InlineData("bun_docker_registry")]
    [InlineData("Bun_DockerRegistry")]
    [InlineData("BUN_DOCKERREGISTRY")]
    public void Prefixed_environment_names_match_ignoring_case_and_underscores(string name)
    {
        var (settings, resolved) = Resolve([], new() { [name] = "ghcr.io" });

        settings.DockerRegistry.ShouldBe("ghcr.io");
        resolved["docker-registry"].Source.ShouldBe($"environment variable {name}");
    }

    [Theory]
    [InlineData("DOCKER_REGISTRY")]
    [InlineData("DockerRegistry")]
    [InlineData("docker_registry")]
    [InlineData("BUNDOCKERREGISTRY")]
    public void A_variable_without_the_prefix_binds_nothing(string name)
    {
        var (settings, resolved) = Resolve([], new() { [name] = "exported-for-another-tool" });

        settings.DockerRegistry.ShouldBeNull();
        resolved["docker-registry"].Source.ShouldBe("default");
    }

    [Fact]
    public void An_exported_variable_that_is_no_valid_value_breaks_nothing()
    {
        var (settings, _) = Resolve([], new() { ["EVENT"] = "deploy", ["RETRIES"] = "many" });

        settings.Event.ShouldBe(GitEvent.Push);
        settings.Retries.ShouldBe(3);
    }

    [Fact]
    public void A_declared_alias_binds_after_the_prefixed_name()
    {
        var (settings, resolved) = Resolve([], new() { ["GITHUB_API_URL"] = "https://github.example.com/api/v3" });

        settings.ApiUrl.ShouldBe("https://github.example.com/api/v3");
        resolved["api-url"].Source.ShouldBe("environment variable GITHUB_API_URL");

        (settings, resolved) = Resolve([], new() { ["GITHUB_API_URL"] = "alias", ["BUN_API_URL"] = "prefixed" });

        settings.ApiUrl.ShouldBe("prefixed");
        resolved["api-url"].Source.ShouldBe("environment variable BUN_API_URL");
    }

    [Fact]
    public void The_password_of_a_URL_value_is_registered_as_a_secret_before_the_value_is_converted()
    {
        var secrets = new List<string>();

        var failure = Should.Throw<BuildFailure>(() => Resolve(new Settings(), ["--docker-registry", "https://bot:p%7Cw@host/a", "https://bot:x@host/b"],
            new() { ["BUN_TAGS"] = "ssh://git:tagpw@host/r" }, registerSecret: secrets.Add));

        failure.Message.ShouldContain("takes one value");
        secrets.ShouldBe(["p%7Cw", "p|w", "x", "tagpw"], ignoreOrder: true);
    }

    [Fact]
    public void A_secret_parameter_is_registered_once_converted()
    {
        var secrets = new List<string>();

        Resolve(new SecretSettings(), [], new() { ["BUN_PIN"] = "4242" }, registerSecret: secrets.Add);

        secrets.ShouldBe(["4242"]);
    }

    [Fact]
    public void Secret_variables_are_those_of_secret_parameters_and_those_holding_a_URL_password()
    {
        var parameters = ParameterDescriptor.Discover(typeof(SecretSettings)).Concat(ParameterDescriptor.Discover(typeof(Settings))).ToList();

        var withheld = ParameterResolver.SecretVariables(parameters, new Dictionary<string, string>
        {
            ["bun_pin"] = "1", ["BUN_DOCKER_REGISTRY"] = "https://bot:pw@ghcr.io", ["BUN_TAGS"] = "latest", ["GITHUB_API_URL"] = "https://u:p@api",
            ["PIN"] = "unrelated",
        });

        withheld.ShouldBe(["bun_pin", "BUN_PIN", "BUN_DOCKER_REGISTRY", "GITHUB_API_URL"], ignoreOrder: true);
    }

    [Fact]
    public void An_empty_environment_variable_does_not_count_as_a_value()
    {
        _root.WriteNuke("parameters.json", """{ "DockerRegistry": "from-file" }""");

        var (settings, _) = Resolve([], new() { ["BUN_DOCKER_REGISTRY"] = "" });

        settings.DockerRegistry.ShouldBe("from-file");
    }

    [Fact]
    public void A_profile_wins_over_the_default_file_and_a_later_profile_over_an_earlier_one()
    {
        _root.WriteNuke("parameters.json", """{ "DockerRegistry": "default-file", "Retries": 1, "Ratio": 0.5 }""");
        _root.WriteNuke("parameters.ci.json", """{ "DockerRegistry": "ci-file", "Retries": 2 }""");
        _root.WriteNuke("parameters.release.json", """{ "docker-registry": "release-file" }""");

        var (settings, resolved) = Resolve([], profiles: ["ci", "release"]);

        settings.DockerRegistry.ShouldBe("release-file");
        resolved["docker-registry"].Source.ShouldBe(Path.Combine(".nuke", "parameters.release.json"));
        settings.Retries.ShouldBe(2);
        resolved["retries"].Source.ShouldBe(Path.Combine(".nuke", "parameters.ci.json"));
        settings.Ratio.ShouldBe(0.5);
        resolved["ratio"].Source.ShouldBe(Path.Combine(".nuke", "parameters.json"));
    }

    [Fact]
    public void A_parameter_given_nowhere_keeps_the_member_default()
    {
        var (settings, resolved) = Resolve([]);

        settings.Retries.ShouldBe(3);
        resolved["retries"].Value.ShouldBe(3);
        resolved["retries"].Source.ShouldBe("default");
        resolved["docker-registry"].Value.ShouldBeNull();
    }

    [Fact]
    public void Text_is_taken_as_it_is()
    {
        Resolve(["--docker-registry", " ghcr.io/bun "]).Settings.DockerRegistry.ShouldBe(" ghcr.io/bun ");
    }

    [Fact]
    public void A_bool_flag_without_a_value_is_true()
    {
        Resolve(["--push"]).Settings.Push.ShouldBeTrue();
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("NO", false)]
    [InlineData("off", false)]
    [InlineData("0", false)]
    public void Bools_accept_the_usual_words(string text, bool expected)
    {
        var settings = new Settings { Push = !expected };

        Resolve(settings, [], new() { ["BUN_PUSH"] = text });

        settings.Push.ShouldBe(expected);
    }

    [Fact]
    public void A_JSON_boolean_in_a_parameters_file_is_a_bool()
    {
        _root.WriteNuke("parameters.json", """{ "Push": true }""");

        Resolve([]).Settings.Push.ShouldBeTrue();
    }

    [Fact]
    public void Numbers_are_read_in_the_invariant_culture()
    {
        var settings = Resolve(["--retries", "-5", "--ratio", "2.5"]).Settings;

        settings.Retries.ShouldBe(-5);
        settings.Ratio.ShouldBe(2.5);
    }

    [Theory]
    [InlineData("pull_request")]
    [InlineData("pull-request")]
    [InlineData("PullRequest")]
    [InlineData("PULL_REQUEST")]
    public void Enums_accept_snake_case_names_as_workflows_write_them(string text)
    {
        Resolve(["--event", text]).Settings.Event.ShouldBe(GitEvent.PullRequest);
    }

    [Fact]
    public void A_list_takes_several_command_line_values()
    {
        Resolve(["--tags", "latest", "1.4.0", "sha-abc"]).Settings.Tags.ShouldBe(["latest", "1.4.0", "sha-abc"]);
    }

    [Fact]
    public void A_list_takes_a_comma_separated_environment_variable()
    {
        var settings = Resolve([], new() { ["BUN_TAGS"] = "latest, 1.4.0,,sha-abc", ["BUN_PORTS"] = "80,443" }).Settings;

        settings.Tags.ShouldBe(["latest", "1.4.0", "sha-abc"]);
        settings.Ports.ShouldBe([80, 443]);
    }

    [Fact]
    public void A_list_takes_a_JSON_array_from_a_parameters_file()
    {
        _root.WriteNuke("parameters.json", """{ "Ports": [8080, 8443], "Tags": ["a", "b"] }""");

        var settings = Resolve([]).Settings;

        settings.Ports.ShouldBe([8080, 8443]);
        settings.Tags.ShouldBe(["a", "b"]);
    }

    [Fact]
    public void A_path_is_relative_to_the_repository_root_not_the_current_directory()
    {
        var settings = Resolve(["--output", "artifacts/packages"]).Settings;

        settings.Output.ShouldNotBeNull().Value.ShouldBe(Path.Combine(_root.Path, "artifacts", "packages"));
    }

    [Fact]
    public void An_absolute_path_is_kept()
    {
        Resolve(["--output", "/var/tmp/out/"]).Settings.Output.ShouldNotBeNull().Value.ShouldBe("/var/tmp/out");
    }

    [Fact]
    public void A_bad_command_line_value_names_the_parameter_the_source_and_what_was_expected()
    {
        var failure = Should.Throw<BuildFailure>(() => Resolve(["--retries", "many"]));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldBe("Parameter --retries (from command line): 'many' is not a whole number.");
    }

    [Fact]
    public void A_bad_environment_value_names_the_variable()
    {
        var failure = Should.Throw<BuildFailure>(() => Resolve([], new() { ["BUN_PUSH"] = "maybe" }));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldBe("Parameter --push (from environment variable BUN_PUSH): 'maybe' is not true or false.");
    }

    [Fact]
    public void A_bad_file_value_names_the_file()
    {
        _root.WriteNuke("parameters.json", """{ "Event": "merge" }""");

        var failure = Should.Throw<BuildFailure>(() => Resolve([]));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldBe($"Parameter --event (from {Path.Combine(".nuke", "parameters.json")}): 'merge' is not one of push, pull_request, workflow_dispatch.");
    }

    [Fact]
    public void A_bad_list_element_is_reported()
    {
        var failure = Should.Throw<BuildFailure>(() => Resolve(["--ports", "80", "http"]));

        failure.Message.ShouldBe("Parameter --ports (from command line): 'http' is not a whole number.");
    }

    [Fact]
    public void A_missing_value_is_bad_input()
    {
        var failure = Should.Throw<BuildFailure>(() => Resolve(["--retries"]));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldBe("Parameter --retries (from command line): needs a value.");
    }

    [Fact]
    public void Several_values_for_a_single_value_parameter_are_bad_input()
    {
        var failure = Should.Throw<BuildFailure>(() => Resolve(["--docker-registry", "a", "b"]));

        failure.Message.ShouldBe("Parameter --docker-registry (from command line): takes one value, got 2: a b.");
    }

    [Fact]
    public void A_bad_value_for_a_secret_is_not_echoed_in_the_error()
    {
        var failure = Should.Throw<BuildFailure>(() => Resolve(new SecretSettings(), ["--pin", "12ab-secret-pin"]));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("--pin");
        failure.Message.ShouldContain("command line");
        failure.Message.ShouldNotContain("12ab-secret-pin");
    }

    [Fact]
    public void An_unknown_command_line_parameter_is_bad_input_with_the_closest_match()
    {
        var failure = Should.Throw<BuildFailure>(() => Resolve(["--docker-registy", "ghcr.io"]));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldBe("Unknown parameter --docker-registy. Did you mean --docker-registry? See --help for the list.");
    }

    [Fact]
    public void An_unknown_key_in_a_parameters_file_is_bad_input_naming_the_file()
    {
        var file = _root.WriteNuke("parameters.json", """{ "$schema": "./build.schema.json", "Retires": 2 }""");

        var failure = Should.Throw<BuildFailure>(() => Resolve([]));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain($"Unknown parameter Retires in {file}.");
        failure.Message.ShouldContain("Did you mean --retries?");
    }

    [Fact]
    public void A_missing_profile_file_is_bad_input()
    {
        var failure = Should.Throw<BuildFailure>(() => ParameterFile.Load(AbsolutePath.From(_root.Path), ["staging"]));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldBe($"Profile 'staging' has no file {Path.Combine(".nuke", "parameters.staging.json")}; create it or drop --profile staging.");
    }

    [Fact]
    public void A_parameters_file_that_is_not_a_JSON_object_is_bad_input_naming_the_file()
    {
        _root.WriteNuke("parameters.json", """["not", "an", "object"]""");

        var failure = Should.Throw<BuildFailure>(() => ParameterFile.Load(AbsolutePath.From(_root.Path), []));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldStartWith("parameters.json is not a JSON object of parameter values");
    }

    [Fact]
    public void A_parameters_file_may_have_comments_and_trailing_commas()
    {
        _root.WriteNuke("parameters.json", """
            {
              // the registry CI pushes to
              "DockerRegistry": "ghcr.io",
            }
            """);

        Resolve([]).Settings.DockerRegistry.ShouldBe("ghcr.io");
    }

    [Fact]
    public void Without_a_default_file_or_profiles_there_are_no_files()
    {
        ParameterFile.Load(AbsolutePath.From(_root.Path), []).ShouldBeEmpty();
    }

    private (Settings Settings, Dictionary<string, ResolvedParameter> Resolved) Resolve(
        string[] arguments, Dictionary<string, string>? environment = null, string[]? profiles = null)
    {
        var settings = new Settings();
        return (settings, Resolve(settings, arguments, environment, profiles));
    }

    private Dictionary<string, ResolvedParameter> Resolve(object settings, string[] arguments, Dictionary<string, string>? environment = null,
        string[]? profiles = null, Action<string>? registerSecret = null)
    {
        var root = AbsolutePath.From(_root.Path);
        var resolved = ParameterResolver.Resolve(
            ParameterDescriptor.Discover(settings.GetType()),
            settings,
            CommandLine.Parse(arguments, cores: 1).Parameters,
            environment ?? [],
            ParameterFile.Load(root, profiles ?? []),
            root,
            registerSecret ?? (_ => { }));
        return resolved.ToDictionary(parameter => parameter.Descriptor.Name);
    }

    public enum GitEvent
    {
        Push,
        PullRequest,
        WorkflowDispatch,
    }

    private sealed class Settings
    {
        [Parameter("Registry to push images to.")]
        public string? DockerRegistry { get; set; }

        [Parameter("Push images.")]
        public bool Push { get; set; }

        [Parameter("How often to retry.")]
        public int Retries { get; set; } = 3;

        [Parameter("A ratio.")]
        public double Ratio { get; set; }

        [Parameter("The GitHub event.")]
        public GitEvent Event { get; set; }

        [Parameter("Image tags.")]
        public string[] Tags { get; set; } = [];

        [Parameter("Ports.")]
        public int[] Ports { get; set; } = [];

        [Parameter("Output folder.")]
        public AbsolutePath? Output { get; set; }

        [Parameter("An API root.", EnvironmentAliases = ["GITHUB_API_URL"])]
        public string? ApiUrl { get; set; }
    }

    private sealed class SecretSettings
    {
        [Parameter("A numeric PIN."), Secret]
        public int Pin { get; set; }
    }
}
