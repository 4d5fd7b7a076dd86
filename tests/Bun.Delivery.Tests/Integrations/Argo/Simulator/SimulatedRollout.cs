using System.Text.Json.Nodes;

namespace Bun.Delivery.Tests.Integrations.Argo.Simulator;

/// <summary>One canary step of a simulated Rollout: shift weight, pause for some reads (or until resumed), or run an analysis.</summary>
public sealed record CanaryStep(string Kind, int Weight = 0, int Reads = 1)
{
    /// <summary>A pause without a duration: it waits until someone resumes or promotes.</summary>
    public const int UntilResumed = int.MaxValue;

    public static CanaryStep SetWeight(int weight) => new("setWeight", weight);
    public static CanaryStep Pause(int reads = 1) => new("pause", Reads: reads);
    public static CanaryStep Analysis(int reads = 1) => new("analysis", Reads: reads);

    /// <summary>The steps of deploy/components/canary: 20%, pause, analysis, 50%, pause, analysis.</summary>
    public static IReadOnlyList<CanaryStep> Standard { get; } = [SetWeight(20), Pause(), Analysis(), SetWeight(50), Pause(), Analysis()];

    internal JsonObject ToJson() => Kind switch
    {
        "setWeight" => new JsonObject { ["setWeight"] = Weight },
        "pause" => new JsonObject { ["pause"] = Reads == UntilResumed ? new JsonObject() : new JsonObject { ["duration"] = $"{Reads * 30}s" } },
        _ => new JsonObject { ["analysis"] = new JsonObject { ["templates"] = new JsonArray(new JsonObject { ["templateName"] = "bun-api-error-ratio" }) } },
    };
}

/// <summary>
/// An Argo Rollouts Rollout and its controller, advanced one step per read (<see cref="Tick"/>). A new image digest is a
/// new revision: the controller observes it on the next read, then walks the canary steps; a failed analysis aborts it;
/// after the last step the new version becomes the stable one. The first revision, and a return to the stable one, are
/// promoted at once, as Rollouts does.
/// Actions follow Argo CD's Lua customizations for Rollouts (discovery.lua and the actions' action.lua).
/// All members are called under the simulator's lock.
/// </summary>
public sealed class SimulatedRollout
{
    private readonly HashSet<string> _failingAnalysis = [];
    private long _generation;
    private long _observedGeneration;
    private int _readsLeft;

    internal SimulatedRollout(string name, string @namespace, IReadOnlyList<CanaryStep> steps)
    {
        Name = name;
        Namespace = @namespace;
        Steps = steps;
    }

    public string Name { get; }
    public string Namespace { get; }
    public IReadOnlyList<CanaryStep> Steps { get; }
    public string? CurrentDigest { get; private set; }
    public string? StableDigest { get; private set; }
    public int StepIndex { get; private set; }
    public bool Aborted { get; private set; }
    public string Phase { get; private set; } = "Progressing";
    public string? Message { get; private set; }

    /// <summary>The share of traffic on the new version: 0 after an abort, 100 once promoted.</summary>
    public int Weight { get; private set; }

    public bool FullyPromoted => CurrentDigest is not null && CurrentDigest == StableDigest;
    private bool Paused => !Aborted && Phase == "Paused";

    /// <summary>Makes the analysis of <paramref name="digest"/> fail: the canary of a bad version.</summary>
    public void FailAnalysisOf(string digest) => _failingAnalysis.Add(digest);

    /// <summary>One reconcile of the controller, with the digest the application's live manifests pin.</summary>
    internal void Tick(string? liveDigest)
    {
        if (liveDigest is null)
            return;
        if (liveDigest != CurrentDigest)
        {
            NewRevision(liveDigest);
            return;
        }

        if (_observedGeneration < _generation)
        {
            _observedGeneration = _generation;
            return;
        }

        if (Aborted || FullyPromoted)
            return;
        var step = Steps[StepIndex];
        switch (step.Kind)
        {
            case "setWeight":
                Weight = step.Weight;
                NextStep();
                break;
            // A pause or an analysis holds for its reads, then ends on the next one.
            case "pause" or "analysis" when step.Reads == CanaryStep.UntilResumed || _readsLeft > 0:
                _readsLeft--;
                Phase = step.Kind == "pause" ? "Paused" : "Progressing";
                Message = step.Kind == "pause" ? "CanaryPauseStep" : "waiting for the analysis to finish";
                break;
            case "pause":
                NextStep();
                break;
            default:
                if (_failingAnalysis.Contains(CurrentDigest!))
                    Abort($"RolloutAborted: Rollout aborted update to revision {_generation}: Metric \"error-ratio\" assessed Failed due to failed (2) > failureLimit (1)");
                else
                    NextStep();
                break;
        }
    }

    /// <summary>The actions as Argo CD's discovery.lua lists them for the current state.</summary>
    internal IReadOnlyList<(string Name, bool Disabled)> Actions() =>
    [
        ("abort", FullyPromoted || Aborted),
        ("promote-full", FullyPromoted),
        ("restart", false),
        ("resume", !Paused),
        ("retry", FullyPromoted || !Aborted),
    ];

    /// <summary>Runs an enabled action (the caller has checked it is enabled).</summary>
    internal void Run(string action)
    {
        switch (action)
        {
            case "abort":
                Abort($"RolloutAborted: Rollout aborted update to revision {_generation}");
                break;
            case "retry":
                Aborted = false;
                StepIndex = 0;
                StartStep("Progressing");
                break;
            case "promote-full":
                Promote();
                break;
            case "resume":
                NextStep();
                break;
        }
    }

    /// <summary>The live object, as Argo CD's resource API returns it (as a JSON string in <c>manifest</c>).</summary>
    internal JsonObject ToJson() => new()
    {
        ["apiVersion"] = "argoproj.io/v1alpha1",
        ["kind"] = "Rollout",
        ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = Namespace, ["generation"] = _generation },
        ["spec"] = new JsonObject
        {
            ["strategy"] = new JsonObject { ["canary"] = new JsonObject { ["steps"] = new JsonArray(Steps.Select(step => (JsonNode)step.ToJson()).ToArray()) } },
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "bun-api", ["image"] = $"ghcr.io/bun/bun-api@{CurrentDigest}" }) },
            },
        },
        ["status"] = new JsonObject
        {
            // Rollouts write observedGeneration as a string.
            ["observedGeneration"] = _observedGeneration.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["phase"] = Phase,
            ["message"] = Message,
            ["abort"] = Aborted ? true : null,
            ["currentStepIndex"] = StepIndex,
            ["currentPodHash"] = PodHash(CurrentDigest),
            ["stableRS"] = PodHash(StableDigest),
            ["pauseConditions"] = Paused ? new JsonArray(new JsonObject { ["reason"] = "CanaryPauseStep", ["startTime"] = SimulatedApplication.Time(DateTimeOffset.UtcNow) }) : null,
        },
    };

    /// <summary>Argo CD's health of the Rollout, as its health.lua judges it.</summary>
    internal (string Status, string? Message) Health()
    {
        if (_observedGeneration < _generation)
            return ("Progressing", "Waiting for rollout spec update to be observed");
        return Phase switch
        {
            "Paused" => ("Suspended", Message),
            _ => (Phase, Message),
        };
    }

    private void NewRevision(string digest)
    {
        CurrentDigest = digest;
        _generation++;
        Aborted = false;
        // The first revision, or a return to the stable one (a rollback), is promoted at once: there is nothing to canary.
        if (StableDigest is null || digest == StableDigest)
        {
            Promote();
            return;
        }

        StepIndex = 0;
        Weight = 0;
        StartStep("Progressing");
    }

    private void NextStep()
    {
        if (++StepIndex >= Steps.Count)
            Promote();
        else
            StartStep("Progressing");
    }

    private void StartStep(string phase)
    {
        Phase = phase;
        Message = null;
        _readsLeft = Steps[StepIndex].Reads;
    }

    private void Promote()
    {
        StableDigest = CurrentDigest;
        StepIndex = Steps.Count;
        Weight = 100;
        Phase = "Healthy";
        Message = null;
    }

    private void Abort(string message)
    {
        Aborted = true;
        Weight = 0;
        Phase = "Degraded";
        Message = message;
    }

    private static string? PodHash(string? digest) => digest is null ? null : digest["sha256:".Length..][..10];
}
