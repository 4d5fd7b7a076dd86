namespace Bun.Delivery.Model.Rules;

/// <summary>What an environment's database holds. Real: user data, never reset or seeded. Dummy: generated data, reset often.</summary>
public enum DatabaseKind
{
    Real,
    Dummy,
}
