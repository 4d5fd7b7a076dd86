using System.Globalization;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Npgsql;

namespace Bun.Delivery.Integrations.Database;

/// <summary>
/// A PostgreSQL advisory lock held for the whole of a migration or a reset, so that two runs against one database never
/// interleave. It belongs to the session: if the process dies, the server releases it. It lives in the target database
/// itself, on the session that checks and changes it, so no other database (such as <c>postgres</c>) needs to be
/// reachable; a reset that swaps in a new database holds it until the swap closes that session.
/// </summary>
internal sealed class MigrationLock : IAsyncDisposable
{
    // Advisory locks are per database, so runs against different databases never wait on each other.
    // The halves spell "Bun" and "Migr", which is how an operator finds the lock in pg_locks (classid, objid).
    private const int HighKey = 0x42756E00;
    private const int LowKey = 0x4D696772;
    private const long Key = ((long)HighKey << 32) | LowKey;

    private readonly NpgsqlConnection _connection;

    private MigrationLock(NpgsqlConnection connection) => _connection = connection;

    public static async Task<MigrationLock> AcquireAsync(
        NpgsqlConnection connection, DatabaseTarget target, TimeSpan timeout, BuildOutput output, CancellationToken cancellation)
    {
        await using (var attempt = new NpgsqlCommand($"SELECT pg_try_advisory_lock({Key})", connection))
        {
            if (await attempt.ExecuteScalarAsync(cancellation) is true)
                return new MigrationLock(connection);
        }

        var holder = await DescribeHolderAsync(connection, cancellation);
        output.Info($"Waiting up to {Seconds(timeout)} s for the migration lock on the {target.Describe()}: {holder} holds it.");
        try
        {
            // A transaction-local lock_timeout ends with this transaction, while the session-level lock outlives it.
            await using var transaction = await connection.BeginTransactionAsync(cancellation);
            await using var wait = new NpgsqlCommand(
                $"SELECT set_config('lock_timeout', '{(long)timeout.TotalMilliseconds}ms', true); SELECT pg_advisory_lock({Key})", connection, transaction);
            await wait.ExecuteNonQueryAsync(cancellation);
            await transaction.CommitAsync(cancellation);
            return new MigrationLock(connection);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            throw new BuildFailure(
                $"Gave up after {Seconds(timeout)} s waiting for the migration lock on the {target.Describe()}: {holder} still holds it, so another MigrateDatabase or ResetDummyDatabase is running there. Let it finish and run again; if that session is stuck, end it (SELECT pg_terminate_backend(pid)).");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.FullState != System.Data.ConnectionState.Open)
            return;
        await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({Key})", _connection);
        await release.ExecuteNonQueryAsync();
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    private static async Task<string> DescribeHolderAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT format('session %s (%s, since %s)', a.pid, coalesce(nullif(a.application_name, ''), 'no application name'), to_char(a.backend_start AT TIME ZONE 'UTC', 'HH24:MI:SS "UTC"'))
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = {HighKey} AND l.objid = {LowKey} AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            LIMIT 1
            """, connection);
        return await command.ExecuteScalarAsync(cancellation) as string ?? "another session";
    }
}
