using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;

// The rollback benchmark's set-up (see rollback.sh; the timed process is ./build.sh Rollback itself):
//   serve    --repository <bare repo> --ready-file <file>   an Argo CD simulator that answers at once, until SIGTERM
//   prepare  --root <repo> --repository <bare repo> --server <url> --token <token>   two verified deployments of stage
var options = Options.Parse(args.Skip(1));
var output = new BuildOutput(Console.Out, new OutputStyle(Colour: false, GitHubActions: false), new SecretMasker());
using var interrupt = new CancellationTokenSource();
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    interrupt.Cancel();
});
try
{
    switch (args.FirstOrDefault())
    {
        case "serve":
            await ServeAsync(options, interrupt.Token);
            return 0;
        case "prepare":
            await using (var deployer = await Deployer.OpenAsync(Settings(options), output, interrupt.Token))
            {
                foreach (var number in new[] { 1, 2 })
                    await deployer.DeployAsync(new DeploymentRequest(Environments.Stage, Image(number), $"1.4.{number}-rc.{Sha(number)[..7]}", Sha(number), "release/1.4.0"), interrupt.Token);
            }

            return 0;
        default:
            await Console.Error.WriteLineAsync("usage: Bun.Bench.Deploy serve|prepare --option value …  (see bench/deploy/rollback.sh)");
            return 2;
    }
}
catch (BuildFailure failure)
{
    output.Error(failure.Message);
    return failure.ExitCode;
}

static async Task ServeAsync(Dictionary<string, string> options, CancellationToken stop)
{
    await using var simulator = ArgoCdSimulator.Start();
    foreach (var environment in Environments.Table.Deployed)
    {
        var application = simulator.AddApplication($"bun-api-{environment.Name}", options["repository"], $"apps/bun-api/overlays/{environment.Name}");
        simulator.Configure(application.Name, app => app.DefaultRollout = Rollout.Instant);
    }

    await File.WriteAllTextAsync(options["ready-file"], $"{simulator.Url}\n{simulator.AccountToken}\n", CancellationToken.None);
    try
    {
        await Task.Delay(Timeout.Infinite, stop);
    }
    catch (OperationCanceledException)
    {
        // SIGTERM: the script is done with the simulator.
    }
}

static DeploymentSettings Settings(Dictionary<string, string> options) => new(
    new GitOpsSettings(AbsolutePath.From(options["root"]), options["repository"]),
    new ArgoCdSettings(new Uri(options["server"]))
    {
        Token = options["token"],
        PollInterval = TimeSpan.FromMilliseconds(int.Parse(options.GetValueOrDefault("poll-ms", "100"))),
    })
{
    Settle = TimeSpan.FromMilliseconds(int.Parse(options.GetValueOrDefault("settle-ms", "0"))),
    Timeout = TimeSpan.FromSeconds(30),
};

static PinnedImage Image(int number) => new("ghcr.io/bun/bun-api", new ImageDigest($"sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"bench image {number}")))}"));

static string Sha(int number) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"bench commit {number}")))[..40];

/// <summary><c>--name value</c> pairs.</summary>
internal static class Options
{
    public static Dictionary<string, string> Parse(IEnumerable<string> arguments)
    {
        var values = new Dictionary<string, string>();
        string? name = null;
        foreach (var argument in arguments)
        {
            if (argument.StartsWith("--", StringComparison.Ordinal))
                name = argument[2..];
            else if (name is not null)
                values[name] = argument;
        }

        return values;
    }
}
