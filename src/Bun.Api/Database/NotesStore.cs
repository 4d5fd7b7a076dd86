using Npgsql;

namespace Bun.Api.Database;

public sealed record Note(long Id, string Title, string Body, DateTimeOffset CreatedAt);

/// <summary>
/// The <c>notes</c> table of db/migrations/0001_create_notes.sql: (id bigint identity, title, body, created_at).
/// Ids grow with time, so newest first is the primary key backwards.
/// </summary>
public sealed class NotesStore(DatabaseConnection database)
{
    public const int ListLimit = 100;

    public async Task<Note> CreateAsync(string title, string body, CancellationToken cancellation)
    {
        await using var command = Source.CreateCommand(
            "INSERT INTO notes (title, body) VALUES ($1, $2) RETURNING id, title, body, created_at");
        command.Parameters.Add(new NpgsqlParameter { Value = title });
        command.Parameters.Add(new NpgsqlParameter { Value = body });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        return Read(reader);
    }

    public async Task<IReadOnlyList<Note>> ListAsync(CancellationToken cancellation)
    {
        await using var command = Source.CreateCommand(
            $"SELECT id, title, body, created_at FROM notes ORDER BY id DESC LIMIT {ListLimit}");
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var notes = new List<Note>();
        while (await reader.ReadAsync(cancellation))
            notes.Add(Read(reader));
        return notes;
    }

    private NpgsqlDataSource Source => database.DataSource
        ?? throw new InvalidOperationException("No database is configured.");

    private static Note Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetFieldValue<DateTimeOffset>(3));
}
