using System.Text.RegularExpressions;

namespace Bun.Pipeline.Output;

/// <summary>
/// The passwords inside URLs such as <c>https://bot:pa55@host/repo.git</c>: secrets of whatever parameter holds them,
/// whether or not that parameter is marked secret, and however short.
/// </summary>
public static partial class UrlCredentials
{
    /// <summary>Each password as written and, when it is percent-encoded, as decoded: tools print either.</summary>
    public static IEnumerable<string> In(string text)
    {
        foreach (Match match in Credential().Matches(text))
        {
            var password = match.Groups["password"].Value;
            if (password.Length == 0)
                continue;
            yield return password;
            var decoded = Decode(password);
            if (decoded != password)
                yield return decoded;
        }
    }

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    // scheme://user:password@host: the password runs to the last @ of the authority, as URL parsers read it.
    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.\-]*://[^\s/?#@:]*:(?<password>[^\s/?#]*)@")]
    private static partial Regex Credential();
}
