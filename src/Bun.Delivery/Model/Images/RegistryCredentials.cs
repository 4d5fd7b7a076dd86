namespace Bun.Delivery.Model.Images;

/// <summary>A registry login, from the build's secret parameters; masked in all output.</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    /// <summary>Credentials when both parts are given, none when neither is; one without the other is bad input.</summary>
    public static RegistryCredentials? From(string? username, string? password) => (string.IsNullOrEmpty(username), string.IsNullOrEmpty(password)) switch
    {
        (true, true) => null,
        (false, false) => new RegistryCredentials(username!, password!),
        _ => throw Pipeline.Failures.BuildFailure.BadInput(
            "Registry credentials need both a username and a password (--registry-username and --registry-password); only one was given."),
    };

    public override string ToString() => $"{Username}:***";
}
