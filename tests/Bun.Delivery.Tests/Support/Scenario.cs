using Bun.Delivery.Model.Context;

namespace Bun.Delivery.Tests.Support;

public enum Host
{
    GitHubActions,
    Laptop,
}

/// <summary>A delivery context, given the way a person thinks of it; <see cref="Hosts"/> reproduces it on either host.</summary>
public sealed record Scenario(string Branch, DeliveryEvent Event, string? Base = null, bool? Merged = null, int? PrNumber = null)
{
    public static Scenario Push(string branch) => new(branch, DeliveryEvent.Push);
    public static Scenario Dispatch(string branch) => new(branch, DeliveryEvent.WorkflowDispatch);
    public static Scenario PullRequest(string head, string @base = "main") => new(head, DeliveryEvent.PullRequest, @base, PrNumber: 12);
    public static Scenario Closed(string head, bool merged, string @base = "main") => new(head, DeliveryEvent.PullRequestClosed, @base, merged, PrNumber: 12);

    public bool IsPullRequest => Event is DeliveryEvent.PullRequest or DeliveryEvent.PullRequestClosed;

    public override string ToString() => IsPullRequest
        ? $"{Event.Name()} {Branch} → {Base}{(Merged == true ? " merged" : "")}"
        : $"{Event.Name()} {Branch}";
}
