using System.Globalization;

namespace Bun.Delivery.Integrations.Monitoring;

/// <summary>Why a verdict is unknown: no answer at all, an answer that is not Prometheus's, or a query Prometheus refused.</summary>
public enum UnknownCause
{
    Unreachable,
    NotPrometheus,
    QueryRefused,
}

/// <summary>What Prometheus said about the error ratio: a value, no series (no requests to judge), or unknown.</summary>
public abstract record ErrorRatio
{
    private ErrorRatio()
    {
    }

    /// <summary>A measured share of 5xx answers, from 0 to 1.</summary>
    public sealed record Measured(double Value) : ErrorRatio
    {
        public bool Exceeds(double maxErrorRatio) => Value > maxErrorRatio;

        public override string Describe() => $"error ratio {Value.ToString("0.####", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The query matched nothing, or only requests-free windows: there is nothing to judge yet.</summary>
    public sealed record NoSeries(string Query, string Detail) : ErrorRatio
    {
        public override string Describe() => $"no series: {Detail} (query: {Query})";
    }

    /// <summary>No verdict could be had; never to be read as healthy.</summary>
    public sealed record Unknown(UnknownCause Cause, string Reason) : ErrorRatio
    {
        public override string Describe() => $"unknown: {Reason}";
    }

    /// <summary>One line for the build output.</summary>
    public abstract string Describe();
}
