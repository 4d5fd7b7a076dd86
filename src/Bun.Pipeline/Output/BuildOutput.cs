using System.Text;

namespace Bun.Pipeline.Output;

/// <summary>
/// The one writer for everything a build prints. It masks secrets, colours only where allowed, emits GitHub Actions
/// workflow commands, and keeps each target's output together when targets run in parallel.
/// </summary>
public sealed class BuildOutput(TextWriter writer, OutputStyle style, SecretMasker secrets, Verbosity verbosity = Verbosity.Normal)
{
    private readonly object _gate = new();
    private readonly AsyncLocal<TargetScope?> _scope = new();

    public OutputStyle Style => style;
    public SecretMasker Secrets => secrets;
    public Verbosity Verbosity => verbosity;

    public void Info(string text) => Write(text, Tone.Plain);
    public void Dim(string text) => Write(text, Tone.Dim);
    public void Heading(string text) => Write(text, Tone.Heading);
    public void Success(string text) => Write(text, Tone.Success);
    public void Warning(string text) => Write(text, Tone.Warning);

    /// <summary>Detail for <c>--verbosity verbose</c> only.</summary>
    public void Verbose(string text)
    {
        if (verbosity == Verbosity.Verbose)
            Write(text, Tone.Dim);
    }

    /// <summary>A notice a person should not miss, e.g. a step skipped because nothing is configured.</summary>
    public void Notice(string text) => Write(style.GitHubActions ? $"::notice::{CommandData(text)}" : $"notice: {text}", Tone.Warning);

    public void Error(string text, string? title = null) =>
        Write(style.GitHubActions ? $"::error{(title is null ? "" : $" title={title}")}::{CommandData(text)}" : text, Tone.Error);

    // Workflow command data is one line: mask first, then escape, so an escaped secret can never slip past the masker.
    private string CommandData(string text) =>
        secrets.Apply(text).Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    /// <summary>
    /// Registers a secret with the masker and, in GitHub Actions, with the runner. The runner masks one line per
    /// <c>::add-mask::</c>, so a multi-line secret is registered line by line (otherwise its later lines would be printed).
    /// </summary>
    public void RegisterSecret(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return;
        secrets.Add(value);
        if (style.GitHubActions)
        {
            lock (_gate)
            {
                foreach (var line in value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    writer.WriteLine($"::add-mask::{line}");
            }
        }
    }

    /// <summary>Writes one message, masked; <c>--verbosity quiet</c> keeps only warnings, notices and errors.</summary>
    public void Write(string text, Tone tone)
    {
        if (verbosity == Verbosity.Quiet && tone is not (Tone.Warning or Tone.Error))
            return;
        var masked = secrets.Apply(text);
        var scope = _scope.Value;
        if (scope?.Buffer is { } buffer)
        {
            lock (buffer)
                buffer.Add((masked, tone));
            return;
        }

        lock (_gate)
            WriteLines(masked, tone);
    }

    /// <summary>Opens a target's section: a GitHub group, a heading, or a buffer flushed as one block when it ends.</summary>
    public IDisposable BeginTarget(string name, bool buffered)
    {
        var scope = new TargetScope(this, name, buffered ? [] : null);
        if (!buffered)
            OpenSection(name);
        _scope.Value = scope;
        return scope;
    }

    private void OpenSection(string name)
    {
        lock (_gate)
        {
            if (style.GitHubActions)
                writer.WriteLine($"::group::{name}");
            else
                WriteLines($"▶ {name}", Tone.Heading);
        }
    }

    private void CloseSection(TargetScope scope)
    {
        _scope.Value = null;
        lock (_gate)
        {
            if (scope.Buffer is not null)
            {
                if (style.GitHubActions)
                    writer.WriteLine($"::group::{scope.Name}");
                else
                    WriteLines($"▶ {scope.Name}", Tone.Heading);
                foreach (var (text, tone) in scope.Buffer)
                    WriteLines(text, tone);
            }

            if (style.GitHubActions)
                writer.WriteLine("::endgroup::");
        }
    }

    private void WriteLines(string text, Tone tone)
    {
        if (!style.Colour || tone == Tone.Plain)
        {
            writer.WriteLine(text);
            return;
        }

        var builder = new StringBuilder();
        foreach (var line in text.Split('\n'))
            builder.Append(Colour(tone)).Append(line).Append("\u001b[0m").Append('\n');
        writer.Write(builder.ToString());
    }

    private static string Colour(Tone tone) => tone switch
    {
        Tone.Dim => "\u001b[90m",
        Tone.Heading => "\u001b[1;36m",
        Tone.Success => "\u001b[32m",
        Tone.Warning => "\u001b[33m",
        Tone.Error => "\u001b[31m",
        _ => "",
    };

    private sealed class TargetScope(BuildOutput output, string name, List<(string, Tone)>? buffer) : IDisposable
    {
        public string Name => name;
        public List<(string Text, Tone Tone)>? Buffer => buffer;
        public void Dispose() => output.CloseSection(this);
    }
}
