namespace Bun.Pipeline.Output;

/// <summary>How much a build prints (<c>--verbosity</c>), as in NUKE.</summary>
public enum Verbosity
{
    /// <summary>Warnings, errors, notices and headings only.</summary>
    Quiet,

    /// <summary>What a person follows a run by; tools are asked for their failures and summaries.</summary>
    Normal,

    /// <summary>Everything, including what tools print line by line.</summary>
    Verbose,
}
