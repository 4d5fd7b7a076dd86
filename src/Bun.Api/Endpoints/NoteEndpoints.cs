using Bun.Api.Database;
using Npgsql;

namespace Bun.Api.Endpoints;

public sealed record NewNote(string? Title, string? Body);

public static class NoteEndpoints
{
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 10_000;

    public static void MapNotes(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Bun.Api.Notes");
        app.MapGet("/notes", (NotesStore notes, DatabaseConnection database, CancellationToken cancellation) =>
            WithDatabase(database, logger, async () => Results.Ok(await notes.ListAsync(cancellation))));

        app.MapPost("/notes", (NewNote note, NotesStore notes, DatabaseConnection database, CancellationToken cancellation) =>
        {
            var problems = Validate(note);
            if (problems.Count > 0)
                return Task.FromResult(Results.ValidationProblem(problems));
            return WithDatabase(database, logger, async () =>
            {
                var created = await notes.CreateAsync(note.Title!.Trim(), note.Body ?? "", cancellation);
                return Results.Created($"/notes/{created.Id}", created);
            });
        });
    }

    private static Dictionary<string, string[]> Validate(NewNote note)
    {
        var problems = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(note.Title))
            problems["title"] = ["A note needs a title."];
        else if (note.Title.Trim().Length > MaxTitleLength)
            problems["title"] = [$"A title has at most {MaxTitleLength} characters."];
        if (note.Body is { Length: > MaxBodyLength })
            problems["body"] = [$"A body has at most {MaxBodyLength} characters."];
        return problems;
    }

    /// <summary>Notes need the database: without one, or while it is down, answer 503; a value it refuses is the caller's 4xx.</summary>
    private static async Task<IResult> WithDatabase(DatabaseConnection database, ILogger logger, Func<Task<IResult>> action)
    {
        if (!database.IsConfigured)
            return Results.Problem("No database is configured: set ConnectionStrings:Bun or BUN_DATABASE_URL.", statusCode: StatusCodes.Status503ServiceUnavailable);
        try
        {
            return await action();
        }
        catch (NpgsqlException exception)
        {
            return DatabaseErrors.ToResult(exception, logger);
        }
    }
}
