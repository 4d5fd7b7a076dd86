using Npgsql;

namespace Bun.Delivery.Integrations.Database;

/// <summary>
/// Sessions on the maintenance database (<see cref="DummyDatabaseReset.MaintenanceDatabase"/>), opened together at the
/// start of a reset, while the dummy database is checked; whatever is not taken is closed at the end.
/// </summary>
internal sealed class MaintenanceSessions : IAsyncDisposable
{
    private readonly List<Task<(NpgsqlConnection? Session, string? Problem)>> _opening;

    private MaintenanceSessions(List<Task<(NpgsqlConnection? Session, string? Problem)>> opening) => _opening = opening;

    public static MaintenanceSessions Open(DatabaseTarget target, int count, CancellationToken cancellation) =>
        new(Enumerable.Range(0, count).Select(_ => TryOpenAsync(target, cancellation)).ToList());

    /// <summary>Why the first session could not be opened, or null when it was.</summary>
    public async Task<string?> FirstProblemAsync() => (await _opening[0]).Problem;

    /// <summary>The next session that opened, or null when none is left.</summary>
    public async Task<NpgsqlConnection?> TakeAsync()
    {
        while (_opening.Count > 0)
        {
            var (session, _) = await _opening[0];
            _opening.RemoveAt(0);
            if (session is not null)
                return session;
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        while (await TakeAsync() is { } session)
            await session.DisposeAsync();
    }

    private static async Task<(NpgsqlConnection? Session, string? Problem)> TryOpenAsync(DatabaseTarget target, CancellationToken cancellation)
    {
        var session = target.Url.ForDatabase(DummyDatabaseReset.MaintenanceDatabase).CreateConnection();
        try
        {
            await session.OpenAsync(cancellation);
            return (session, null);
        }
        catch (NpgsqlException exception)
        {
            await session.DisposeAsync();
            return (null, exception.Message.Split('\n')[0].Trim());
        }
    }
}
