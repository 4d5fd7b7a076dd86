using Bun.Delivery.Integrations.Argo.Generated;

namespace Bun.Delivery.Integrations.Argo;

/// <summary>Maps Argo CD's <c>{error, code, message}</c> answers to typed exceptions whose messages say what to do.</summary>
internal static class ArgoCdErrors
{
    private const int FailedPrecondition = 9;
    private const int PermissionDenied = 7;
    private const int NotFound = 5;
    private const int Unauthenticated = 16;
    private const int Unavailable = 14;

    public static ArgoCdException Map(ArgoCdApiException failure, Uri server, string what, string? app)
    {
        var body = (failure as ArgoCdApiException<RuntimeError>)?.Result;
        var code = body?.Code;
        var status = failure.StatusCode;
        var message = body?.Message ?? body?.Error ?? Snippet(failure.Response) ?? $"HTTP {status}";
        var answer = $"Argo CD answered {status}{(code is { } grpc ? $" (code {grpc})" : "")}: \"{message}\"";
        var application = app is null ? "" : $" {app}";

        if (status == 401 || code == Unauthenticated)
            return new ArgoCdAuthenticationException(
                $"Could not {what}: Argo CD at {server} refused the credentials. {answer}. Check --argocd-token, or --argocd-username and --argocd-password.", code, status);
        if (Contains(message, "another operation is already in progress"))
            return new ArgoCdOperationInProgressException(
                $"Could not {what}: another operation is already running on{application}. {answer}. Wait for it, or stop it in Argo CD, then run again.", code, status);
        if (code == FailedPrecondition && Contains(message, "auto-sync"))
            return new ArgoCdAutoSyncEnabledException(
                $"Could not {what}: Argo CD refuses this while auto-sync is on for{application}. {answer}. Turn auto-sync off first (Rollback --via argocd does).", code, status);
        if (status == 403 && Contains(message, "sync window"))
            return new ArgoCdSyncWindowException(
                $"Could not {what}: a sync window blocks syncing{application} now. {answer}. Wait for the window to close, or ask an Argo CD admin to allow a manual sync.", code, status);
        if (status is 403 or 404 || code is PermissionDenied or NotFound)
            return new ArgoCdApplicationNotFoundException(
                $"Could not {what}: Argo CD has no application{application}, or this account may not see or change it. {answer}. " +
                "Check the application name (<app>-<environment>) and the account's RBAC; Argo CD answers 403 for both unless a project is given.", code, status);
        if (status is 502 or 503 or 504 || code == Unavailable)
            return new ArgoCdUnavailableException($"Could not {what}: Argo CD at {server} is unavailable. {answer}. Try again later.", status);
        return new ArgoCdException($"Could not {what}: {answer}.", code, status);
    }

    private static bool Contains(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);

    private static string? Snippet(string? response) =>
        string.IsNullOrWhiteSpace(response) ? null : response.Length <= 200 ? response.Trim() : response[..200].Trim() + "…";
}
