using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Targets;

/// <summary>What CI runs for this branch and event, by Bun's delivery rules; ./build.sh Ci --plan shows it for any context.</summary>
public sealed partial class Build
{
    public Target Ci => _ => _
        .Description("Runs what the delivery rules give for this branch and event.")
        .DependsOn(Compile, Test).When(() => Context.CompilesAndTests);
}
