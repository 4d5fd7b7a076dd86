using Bogus;
using Npgsql;
using NpgsqlTypes;

namespace Bun.Delivery.Integrations.Database;

/// <summary>
/// Fake notes for a dummy database: the same seed and row count give the same rows, byte for byte. Bogus fills small
/// pools of titles and bodies once; each row then picks from them with one number of a seeded sequence, so a million
/// rows cost little more than the binary COPY that streams them to the server.
/// </summary>
internal static class DummyNotes
{
    private const int PoolBits = 10;
    private const int PoolSize = 1 << PoolBits;
    private const ulong PoolMask = PoolSize - 1;
    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly long SpanMicroseconds = TimeSpan.FromDays(2 * 365).Ticks / TimeSpan.TicksPerMicrosecond;

    public static async Task SeedAsync(NpgsqlConnection connection, int rows, int seed, CancellationToken cancellation)
    {
        var faker = new Faker("en") { Random = new Randomizer(seed) };
        var titles = Pool(() => faker.Lorem.Sentence(3).TrimEnd('.'));
        var bodies = Pool(() => faker.Lorem.Sentence(8));
        var sequence = new SplitMix64((ulong)seed);
        // Notes are spread over two years in id order: created_at grows with id, as in a live service.
        var step = (ulong)Math.Max(1, SpanMicroseconds / Math.Max(rows, 1));

        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        var constraints = await DropKeyConstraintsAsync(connection, transaction, cancellation);
        await using (var copy = await connection.BeginBinaryImportAsync("COPY public.notes (id, title, body, created_at) FROM STDIN (FORMAT BINARY)", cancellation))
        {
            for (long id = 1; id <= rows; id++)
            {
                var next = sequence.Next();
                var microseconds = (ulong)(id - 1) * step + (next >> (2 * PoolBits)) % step;
                await copy.StartRowAsync(cancellation);
                await copy.WriteAsync(id, NpgsqlDbType.Bigint, cancellation);
                await copy.WriteAsync(titles[next & PoolMask], NpgsqlDbType.Text, cancellation);
                await copy.WriteAsync(bodies[(next >> PoolBits) & PoolMask], NpgsqlDbType.Text, cancellation);
                await copy.WriteAsync(Start.AddTicks((long)microseconds * TimeSpan.TicksPerMicrosecond), NpgsqlDbType.TimestampTz, cancellation);
            }

            await copy.CompleteAsync(cancellation);
        }

        // Building the keys once after the load is cheaper than maintaining them row by row, as pgbench -i does.
        // (A foreign key pointing at notes would block the drop: seed such a table's rows the same way when one comes.)
        foreach (var (name, definition) in constraints)
            await ExecuteAsync(connection, transaction, $"ALTER TABLE public.notes ADD CONSTRAINT {name} {definition}", cancellation);

        // The ids were given explicitly, so the identity sequence continues after the last one.
        await using (var sequenceCommand = new NpgsqlCommand("SELECT setval(pg_get_serial_sequence('public.notes', 'id'), greatest($1, 1), $1 > 0)", connection, transaction)
                     {
                         Parameters = { new() { Value = (long)rows } },
                     })
            await sequenceCommand.ExecuteNonQueryAsync(cancellation);
        await transaction.CommitAsync(cancellation);
    }

    private static async Task<List<(string Name, string Definition)>> DropKeyConstraintsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellation)
    {
        var constraints = new List<(string, string)>();
        await using (var query = new NpgsqlCommand(
                         "SELECT quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'public.notes'::regclass AND contype IN ('p', 'u') ORDER BY conname",
                         connection, transaction))
        await using (var reader = await query.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation))
                constraints.Add((reader.GetString(0), reader.GetString(1)));
        }

        foreach (var (name, _) in constraints)
            await ExecuteAsync(connection, transaction, $"ALTER TABLE public.notes DROP CONSTRAINT {name}", cancellation);
        return constraints;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    private static string[] Pool(Func<string> make) => Enumerable.Range(0, PoolSize).Select(_ => make()).ToArray();

    // SplitMix64: a fixed, fully specified sequence, so the data cannot change with the runtime's Random implementation.
    private struct SplitMix64(ulong state)
    {
        public ulong Next()
        {
            var z = state += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }
}
