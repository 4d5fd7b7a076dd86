using Bun.Delivery.Model.Images;
using Bun.Delivery.Orchestration.Images;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Orchestration.Images;

public sealed class PublishLayersTests : IDisposable
{
    private static readonly string[] Excluded = ["**/*.pdb", "appsettings.Development.json"];
    private readonly TempFolder _publish = new();

    [Fact]
    public void A_self_contained_publish_splits_into_runtime_packages_and_app_by_its_deps_json()
    {
        Write("App.deps.json", """
            {
              "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0/linux-x64" },
              "targets": {
                ".NETCoreApp,Version=v10.0/linux-x64": {
                  "App/1.0.0": { "runtime": { "App.dll": {} } },
                  "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.1": {
                    "runtime": { "System.Private.CoreLib.dll": {}, "Microsoft.Win32.Primitives.dll": {} },
                    "native": { "libcoreclr.so": {} }
                  },
                  "Npgsql/10.0.3": {
                    "runtime": { "lib/net8.0/Npgsql.dll": {} },
                    "resources": { "lib/net8.0/de/Npgsql.resources.dll": { "locale": "de" } }
                  }
                }
              },
              "libraries": {
                "App/1.0.0": { "type": "project" },
                "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.1": { "type": "runtimepack" },
                "Npgsql/10.0.3": { "type": "package", "path": "npgsql/10.0.3" }
              }
            }
            """);
        foreach (var file in new[] { "App.runtimeconfig.json", "App.dll", "App", "App.pdb", "appsettings.json", "appsettings.Development.json",
                     "System.Private.CoreLib.dll", "Microsoft.Win32.Primitives.dll", "libcoreclr.so", "Npgsql.dll", "de/Npgsql.resources.dll", "sub/App.pdb" })
            Write(file, file);

        var layers = PublishLayers.Read(_publish.Path, Excluded);

        layers.Select(layer => layer.Description).ShouldBe([PublishLayers.Runtime, PublishLayers.Packages, PublishLayers.App]);
        layers[0].Files.ShouldBe(["Microsoft.Win32.Primitives.dll", "System.Private.CoreLib.dll", "libcoreclr.so"]);
        layers[1].Files.ShouldBe(["Npgsql.dll", "de/Npgsql.resources.dll"]);
        layers[2].Files.ShouldBe(["App", "App.deps.json", "App.dll", "App.runtimeconfig.json", "appsettings.json"]);
    }

    [Fact]
    public void A_framework_dependent_publish_has_no_runtime_layer_and_keeps_rid_specific_package_assets_in_the_packages_layer()
    {
        Write("App.deps.json", """
            {
              "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0" },
              "targets": {
                ".NETCoreApp,Version=v10.0": {
                  "App/1.0.0": { "runtime": { "App.dll": {} } },
                  "Native.Thing/2.0.0": {
                    "runtime": { "lib/net8.0/Native.Thing.dll": {} },
                    "runtimeTargets": { "runtimes/linux-x64/native/libthing.so": { "rid": "linux-x64", "assetType": "native" } }
                  }
                }
              },
              "libraries": { "App/1.0.0": { "type": "project" }, "Native.Thing/2.0.0": { "type": "package" } }
            }
            """);
        foreach (var file in new[] { "App.runtimeconfig.json", "App.dll", "Native.Thing.dll", "runtimes/linux-x64/native/libthing.so" })
            Write(file, file);

        var layers = PublishLayers.Read(_publish.Path, Excluded);

        layers.Select(layer => layer.Description).ShouldBe([PublishLayers.Packages, PublishLayers.App]);
        layers[0].Files.ShouldBe(["Native.Thing.dll", "runtimes/linux-x64/native/libthing.so"]);
    }

    [Fact]
    public void A_folder_without_an_app_deps_json_is_bad_input()
    {
        Write("App.dll", "not a publish");

        var failure = Should.Throw<BuildFailure>(() => PublishLayers.Read(_publish.Path, Excluded));

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldContain("has 0 app deps.json files");
    }

    public void Dispose() => _publish.Dispose();

    private void Write(string relativePath, string content)
    {
        var path = Path.Combine(_publish.Path, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
