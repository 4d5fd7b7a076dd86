using System.Diagnostics;
using Npgsql;

namespace Bun.Delivery.Integrations.Database;

/// <summary>
/// Statements a reset leaves to the server, so that nobody waits for them: dropping the old dummy database, copying
/// the next spare. Each runs on a session of its own; <see cref="StartAsync"/> returns once the server is running
/// them all, and the process may then exit. A server finishes a statement whose client has gone before it notices,
/// unless <c>client_connection_check_interval</c> is set: then the work is cut short, and the next reset does it
/// (it drops an old database it finds, and clones the template when no spare is ready).
/// </summary>
internal static class ServerSideWork
{
    private static readonly TimeSpan Confirmation = TimeSpan.FromSeconds(2);

    /// <summary>Sends each statement on its session and waits until the server runs them; the task returned ends with them.</summary>
    /// <param name="watcher">A session that stays free to watch the others in <c>pg_stat_activity</c>.</param>
    public static async Task<Task> StartAsync(NpgsqlConnection watcher, IReadOnlyList<(NpgsqlConnection Session, string Sql)> work, CancellationToken cancellation)
    {
        var running = work.Select(item => (item.Session.ProcessID, Done: RunAsync(item.Session, item.Sql))).ToList();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Confirmation)
        {
            var waiting = running.Where(item => !item.Done.IsCompleted).Select(item => item.ProcessID).ToArray();
            if (waiting.Length == 0 || await CountActiveAsync(watcher, waiting, cancellation) == waiting.Length)
                break;
            await Task.Delay(TimeSpan.FromMilliseconds(2), cancellation);
        }

        return Task.WhenAll(running.Select(item => item.Done));
    }

    private static async Task RunAsync(NpgsqlConnection session, string sql)
    {
        await using (session)
        {
            await using var command = new NpgsqlCommand(sql, session) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static async Task<long> CountActiveAsync(NpgsqlConnection watcher, int[] processes, CancellationToken cancellation)
    {
        // The ids written out: an array parameter would make Npgsql load its array handling for one query.
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM pg_stat_activity WHERE pid IN ({string.Join(", ", processes)}) AND state = 'active'", watcher);
        return (long)(await command.ExecuteScalarAsync(cancellation))!;
    }
}
