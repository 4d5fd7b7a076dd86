namespace Bun.Delivery.Model.Rules;

/// <summary>
/// Words people type for the delivery model's names, mapped to the name meant: the suggestion when what they typed is
/// unknown ("Unknown target 'DeployProd'. Did you mean PromoteProd?"). Prod is promoted, never deployed from a build.
/// </summary>
public static class Synonyms
{
    public static IReadOnlyDictionary<string, string> Targets { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["DeployProd"] = "PromoteProd",
        ["DeployProduction"] = "PromoteProd",
        ["Promote"] = "PromoteProd",
        ["DeployStaging"] = "DeployStage",
        ["DeployDevelopment"] = "DeployDev",
        ["DeployQa"] = "DeployTest",
    };

    public static IReadOnlyDictionary<string, string> Environments { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["production"] = "prod",
        ["staging"] = "stage",
        ["development"] = "dev",
        ["qa"] = "test",
    };
}
