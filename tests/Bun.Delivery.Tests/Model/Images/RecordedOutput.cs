using Bun.Pipeline.Output;

namespace Bun.Delivery.Tests.Model.Images;

/// <summary>The build's one writer, recording plain text, so tests read what a person would see.</summary>
internal sealed class RecordedOutput
{
    private readonly StringWriter _text = new();

    public RecordedOutput(bool gitHubActions = false) =>
        Output = new BuildOutput(TextWriter.Synchronized(_text), new OutputStyle(Colour: false, GitHubActions: gitHubActions), new SecretMasker());

    public BuildOutput Output { get; }
    public string Text => _text.ToString();
}
