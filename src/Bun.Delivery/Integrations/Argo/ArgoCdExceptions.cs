using Bun.Pipeline.Failures;

namespace Bun.Delivery.Integrations.Argo;

/// <summary>An Argo CD answer Bun can't go on from: its message, its gRPC code and HTTP status, and what to do.</summary>
public class ArgoCdException(string message, int? grpcCode = null, int? httpStatus = null) : BuildFailure(message)
{
    /// <summary>The gRPC code of Argo CD's error body: 3 InvalidArgument, 5 NotFound, 7 PermissionDenied, 9 FailedPrecondition, 16 Unauthenticated…</summary>
    public int? GrpcCode { get; } = grpcCode;

    public int? HttpStatus { get; } = httpStatus;

    /// <summary>Argo CD could not be reached or answered 5xx: it said nothing about the application, so a verdict is unknown, not failed.</summary>
    public bool ServerUnavailable => this is ArgoCdUnavailableException || HttpStatus >= 500;
}

/// <summary>Another sync or rollback is running on the application (400, code 9).</summary>
public sealed class ArgoCdOperationInProgressException(string message, int? grpcCode, int? httpStatus) : ArgoCdException(message, grpcCode, httpStatus);

/// <summary>Argo CD's rollback is refused while auto-sync is on (400, code 9): turn auto-sync off first.</summary>
public sealed class ArgoCdAutoSyncEnabledException(string message, int? grpcCode, int? httpStatus) : ArgoCdException(message, grpcCode, httpStatus);

/// <summary>A sync window forbids syncing now (403). Not an authorisation problem.</summary>
public sealed class ArgoCdSyncWindowException(string message, int? grpcCode, int? httpStatus) : ArgoCdException(message, grpcCode, httpStatus);

/// <summary>The application does not exist, or the account may not see it: Argo CD answers 403 for both unless a project is given (then 404).</summary>
public sealed class ArgoCdApplicationNotFoundException(string message, int? grpcCode, int? httpStatus) : ArgoCdException(message, grpcCode, httpStatus);

/// <summary>The token, or the username and password, were refused (401, code 16).</summary>
public sealed class ArgoCdAuthenticationException(string message, int? grpcCode, int? httpStatus) : ArgoCdException(message, grpcCode, httpStatus);

/// <summary>Argo CD could not be reached, or did not answer in time, after the retries.</summary>
public sealed class ArgoCdUnavailableException(string message, int? httpStatus = null) : ArgoCdException(message, httpStatus: httpStatus);

/// <summary>The application exists but has no such resource (e.g. no Rollout: the overlay renders a Deployment).</summary>
public sealed class ArgoCdResourceNotFoundException(string message) : ArgoCdException(message);

/// <summary>Argo CD does not offer the resource action, or has it disabled because it does not apply now.</summary>
public sealed class ArgoCdActionRefusedException(string message, int? grpcCode = null, int? httpStatus = null) : ArgoCdException(message, grpcCode, httpStatus);
