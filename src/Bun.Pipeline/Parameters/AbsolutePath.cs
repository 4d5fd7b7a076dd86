namespace Bun.Pipeline.Parameters;

/// <summary>A normalised absolute path; <c>/</c> joins segments: <c>RootDirectory / ".nuke" / "temp"</c>.</summary>
public sealed record AbsolutePath
{
    private AbsolutePath(string value) => Value = value;

    public string Value { get; }
    public string Name => System.IO.Path.GetFileName(Value);
    public AbsolutePath Parent => new(System.IO.Path.GetDirectoryName(Value) ?? Value);
    public bool Exists => File.Exists(Value) || Directory.Exists(Value);

    public static AbsolutePath From(string path, string? relativeTo = null) =>
        new(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path, relativeTo ?? Directory.GetCurrentDirectory())));

    public static AbsolutePath operator /(AbsolutePath left, string right) => From(System.IO.Path.Combine(left.Value, right));

    public static implicit operator string(AbsolutePath path) => path.Value;

    public override string ToString() => Value;
}
