namespace Bun.Delivery.Integrations.Database;

/// <summary>One statement of a migration script, with where it starts, so an error can name the script's line.</summary>
internal sealed record SqlStatement(string Text, int Line)
{
    /// <summary>The script line of a 1-based character position in <see cref="Text"/>, as PostgreSQL reports it.</summary>
    public int LineAt(int position) => Line + Text.AsSpan(0, Math.Clamp(position - 1, 0, Text.Length)).Count('\n');
}

/// <summary>
/// Splits a script at the semicolons that end statements, skipping those inside strings, quoted names, dollar-quoted
/// bodies and comments. Each statement runs as its own command, so a failure is pinned to one statement and its line
/// (a multi-statement command does not tell which statement failed).
/// </summary>
internal static class SqlStatements
{
    public static IReadOnlyList<SqlStatement> Split(string sql)
    {
        var statements = new List<SqlStatement>();
        int? start = null;
        var at = 0;
        while (at < sql.Length)
        {
            var current = sql[at];
            if (char.IsWhiteSpace(current))
                at++;
            else if (current == '-' && At(sql, at + 1) == '-')
                at = sql.IndexOf('\n', at) is var end and >= 0 ? end : sql.Length;
            else if (current == '/' && At(sql, at + 1) == '*')
                at = AfterBlockComment(sql, at);
            else if (current == ';')
            {
                if (start is { } begin)
                    statements.Add(Statement(sql, begin, at));
                start = null;
                at++;
            }
            else
            {
                start ??= at;
                at = current switch
                {
                    '\'' => AfterQuoted(sql, at, backslashEscapes: IsEscapeString(sql, at)),
                    '"' => AfterQuoted(sql, at, backslashEscapes: false),
                    '$' when DollarTag(sql, at) is { } tag => sql.IndexOf(tag, at + tag.Length, StringComparison.Ordinal) is var close and >= 0 ? close + tag.Length : sql.Length,
                    _ => at + 1,
                };
            }
        }

        if (start is { } last)
            statements.Add(Statement(sql, last, sql.Length));
        return statements;
    }

    private static SqlStatement Statement(string sql, int start, int end) =>
        new(sql[start..end].TrimEnd(), 1 + sql.AsSpan(0, start).Count('\n'));

    private static char At(string sql, int index) => index < sql.Length ? sql[index] : '\0';

    // PostgreSQL's block comments nest.
    private static int AfterBlockComment(string sql, int at)
    {
        var depth = 0;
        while (at < sql.Length)
        {
            if (sql[at] == '/' && At(sql, at + 1) == '*')
                (depth, at) = (depth + 1, at + 2);
            else if (sql[at] == '*' && At(sql, at + 1) == '/')
            {
                (depth, at) = (depth - 1, at + 2);
                if (depth == 0)
                    return at;
            }
            else
                at++;
        }

        return at;
    }

    // A doubled quote stands for itself; in an E'…' string a backslash escapes the next character too.
    private static int AfterQuoted(string sql, int at, bool backslashEscapes)
    {
        var quote = sql[at++];
        while (at < sql.Length)
        {
            if (backslashEscapes && sql[at] == '\\')
                at += 2;
            else if (sql[at] == quote && At(sql, at + 1) == quote)
                at += 2;
            else if (sql[at++] == quote)
                return at;
        }

        return sql.Length;
    }

    private static bool IsEscapeString(string sql, int quote) =>
        quote > 0 && sql[quote - 1] is 'E' or 'e' && (quote == 1 || !IsIdentifierPart(sql[quote - 2]));

    // $$ or $tag$, but not the $ inside a name (a$b) or a parameter ($1).
    private static string? DollarTag(string sql, int at)
    {
        if (at > 0 && IsIdentifierPart(sql[at - 1]))
            return null;
        var end = at + 1;
        while (end < sql.Length && IsIdentifierPart(sql[end]) && sql[end] != '$')
            end++;
        return end < sql.Length && sql[end] == '$' && !char.IsAsciiDigit(At(sql, at + 1)) ? sql[at..(end + 1)] : null;
    }

    private static bool IsIdentifierPart(char character) => char.IsLetterOrDigit(character) || character is '_' or '$';
}
