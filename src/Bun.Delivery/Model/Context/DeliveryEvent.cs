using Bun.Pipeline.Parameters;

namespace Bun.Delivery.Model.Context;

/// <summary>What started the build. GitHub's <c>pull_request</c> with action <c>closed</c> is <see cref="PullRequestClosed"/>.</summary>
public enum DeliveryEvent
{
    Push,
    PullRequest,
    PullRequestClosed,
    WorkflowDispatch,
}

/// <summary>Where the build runs; the context is read differently on each, and means the same.</summary>
public enum DeliveryHost
{
    Local,
    GitHubActions,
}

/// <summary>How events and hosts are written in <c>--plan --json</c>, on the command line and in messages.</summary>
public static class ContextNames
{
    /// <summary>GitHub's spelling, also accepted by <c>--event</c>: <c>pull_request_closed</c>.</summary>
    public static string Name(this DeliveryEvent @event) => ParameterDescriptor.Kebab(@event.ToString()).Replace('-', '_');

    public static string Name(this DeliveryHost host) => host == DeliveryHost.GitHubActions ? "github-actions" : "local";
}
