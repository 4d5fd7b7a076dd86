using System.Text.Json.Nodes;
using Bun.Delivery.Model.Context;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Parameters;

namespace Bun.Delivery;

/// <summary>
/// Base class of a build that follows Bun's delivery model: it reads the delivery context when the build starts,
/// declares the options that simulate a context on a laptop, and describes the context in <c>--plan --json</c>.
/// </summary>
public abstract class DeliveryBuild : Pipeline.Build
{
    private DeliveryContext? _context;
    private EnvironmentTable? _environmentTable;

    [Parameter("On a laptop: the event to simulate (default push).")]
    public DeliveryEvent? Event { get; set; }

    [Parameter("On a laptop, with a pull_request event: the branch it merges into (default main).")]
    public string? Base { get; set; }

    [Parameter("On a laptop, with a pull_request event: its branch (default the current branch).")]
    public string? Head { get; set; }

    [Parameter("On a laptop, with --event pull_request_closed: the pull request was merged.")]
    public bool? Merged { get; set; }

    [Parameter("On a laptop, with a pull_request event: its number.")]
    public int? PrNumber { get; set; }

    [Parameter("The environment Rollback, Verify, History and the database targets act on, by its name in the environments table.")]
    public string? Environment { get; set; }

    /// <summary>
    /// The environments table every delivery rule of this build reads: guards, <c>--environment</c>, <c>--help</c>, workflow
    /// choices and promotion. Override <see cref="DefineEnvironments"/> to deliver to your own environments.
    /// </summary>
    public EnvironmentTable EnvironmentTable => _environmentTable ??= DefineEnvironments();

    public DeliveryContext Context => _context ?? throw new InvalidOperationException("The delivery context is read when BuildRunner starts the build; it is not available before.");

    /// <summary>The row of the environments table that <c>--environment</c> names; null without <c>--environment</c>.</summary>
    public DeliveryEnvironment? SelectedEnvironment { get; private set; }

    protected override async Task InitializeAsync(CancellationToken cancellation)
    {
        // Made here, so a table that contradicts itself is refused before anything else.
        var table = EnvironmentTable;
        SelectedEnvironment = Environment is null ? null : table.Find(Environment);
        _context = await DeliveryContextReader.ReadAsync(
            HostEnvironment, new SimulatedEvent(Event, Base, Head, Merged, PrNumber), Processes, RootDirectory, cancellation);
        Log.Dim($"Context: {_context}");
    }

    /// <summary>This build's environments table: Bun's own (<see cref="Environments.Table"/>) unless overridden. A table that contradicts itself fails the build before anything runs.</summary>
    protected virtual EnvironmentTable DefineEnvironments() => Environments.Table;

    /// <summary>The <c>--help</c> groups of a delivery build, in the order a delivery runs.</summary>
    protected override IReadOnlyList<string> GroupOrder => ["build", "images", "deploy", "database", "github", "workflows"];

    /// <summary><c>--environment</c> takes a name from the environments table.</summary>
    protected override IReadOnlyList<string>? ValuesOf(ParameterDescriptor parameter) =>
        parameter.MemberName == nameof(Environment) ? EnvironmentTable.All.Select(environment => environment.Name).ToList() : null;

    /// <summary>What people type for a target of the delivery model (docs/delivery.md): DeployProd → PromoteProd.</summary>
    protected override IReadOnlyDictionary<string, string> TargetSynonyms => Synonyms.Targets;

    protected override Task<JsonObject> DescribeContextAsync(CancellationToken cancellation) => Task.FromResult(Context.Describe());
}
