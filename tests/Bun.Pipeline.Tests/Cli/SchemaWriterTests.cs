using Bun.Pipeline.Cli;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;
using Bun.Pipeline.Tests.Support;

namespace Bun.Pipeline.Tests.Cli;

public sealed class SchemaWriterTests
{
    private static readonly TargetSpec[] Targets = [new() { Name = "Compile" }, new() { Name = "Test" }];

    [Fact]
    public void The_schema_describes_every_parameter_type_and_lists_the_targets()
    {
        var schema = SchemaWriter.Generate(Targets, ParameterDescriptor.Discover(typeof(Settings)));

        schema.ShouldBe("""
            {
              "$schema": "http://json-schema.org/draft-07/schema#",
              "title": "Bun build parameters",
              "type": "object",
              "additionalProperties": false,
              "definitions": {
                "Target": {
                  "type": "string",
                  "enum": [
                    "Compile",
                    "Test"
                  ]
                }
              },
              "properties": {
                "$schema": {
                  "type": "string"
                },
                "Registry": {
                  "type": "string",
                  "description": "Registry."
                },
                "Push": {
                  "type": "boolean",
                  "description": "Push."
                },
                "Retries": {
                  "type": "integer",
                  "description": "Retries."
                },
                "Ratio": {
                  "type": "number",
                  "description": "Ratio."
                },
                "Event": {
                  "type": "string",
                  "enum": [
                    "push",
                    "pull_request"
                  ],
                  "description": "Event."
                },
                "Ports": {
                  "type": "array",
                  "items": {
                    "type": "integer"
                  },
                  "description": "Ports."
                },
                "Output": {
                  "type": "string",
                  "description": "Output."
                },
                "Token": {
                  "type": "string",
                  "description": "Token. (secret: prefer BUN_TOKEN)"
                }
              }
            }

            """.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void An_unchanged_schema_is_not_rewritten()
    {
        using var root = new TempFolder();
        var path = Path.Combine(root.Nuke, "build.schema.json");
        var descriptors = ParameterDescriptor.Discover(typeof(Settings));
        SchemaWriter.Update(AbsolutePath.From(root.Path), Targets, descriptors);
        var old = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, old);

        SchemaWriter.Update(AbsolutePath.From(root.Path), Targets, descriptors);
        File.GetLastWriteTimeUtc(path).ShouldBe(old);

        SchemaWriter.Update(AbsolutePath.From(root.Path), [.. Targets, new() { Name = "Pack" }], descriptors);
        File.GetLastWriteTimeUtc(path).ShouldNotBe(old);
        File.ReadAllText(path).ShouldContain("\"Pack\"");
    }

    [Fact]
    public void A_parameter_named_otherwise_than_its_member_is_keyed_by_its_name_which_parameters_json_binds()
    {
        var schema = SchemaWriter.Generate(Targets, ParameterDescriptor.Discover(typeof(Renamed)));

        schema.ShouldContain("\"BaseImage\": {");
        schema.ShouldContain("\"GitOpsRepo\": {");
        schema.ShouldNotContain("BaseImageReference");
    }

    private sealed class Renamed
    {
        [Parameter("Base.", Name = "base-image")] public string? BaseImageReference { get; set; }
        [Parameter("GitOps.", Name = "gitops-repo")] public string? GitOpsRepo { get; set; }
    }

    public enum Trigger
    {
        Push,
        PullRequest,
    }

    private sealed class Settings
    {
        [Parameter("Registry.")] public string? Registry { get; set; }
        [Parameter("Push.")] public bool Push { get; set; }
        [Parameter("Retries.")] public int? Retries { get; set; }
        [Parameter("Ratio.")] public double Ratio { get; set; }
        [Parameter("Event.")] public Trigger Event { get; set; }
        [Parameter("Ports.")] public int[] Ports { get; set; } = [];
        [Parameter("Output.")] public AbsolutePath? Output { get; set; }
        [Parameter("Token."), Secret] public string? Token { get; set; }
    }
}
