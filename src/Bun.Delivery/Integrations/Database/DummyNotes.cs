using System.Buffers.Binary;
using System.Text;
using Bogus;
using Npgsql;

namespace Bun.Delivery.Integrations.Database;

/// <summary>
/// Fake notes for a dummy database: the same seed and row count give the same rows, byte for byte. Bogus fills small
/// pools of titles and bodies once, encoded to UTF-8 once; each row then picks from them with one number of a seeded
/// sequence and is written straight into the bytes of a binary COPY, with no allocation per row, so the client costs
/// a fraction of what the server spends storing the rows.
/// </summary>
internal static class DummyNotes
{
    private const int PoolBits = 10;
    private const int PoolSize = 1 << PoolBits;
    private const ulong PoolMask = PoolSize - 1;
    private const int BufferSize = 1 << 16;
    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly long SpanMicroseconds = TimeSpan.FromDays(2 * 365).Ticks / TimeSpan.TicksPerMicrosecond;

    // "PGCOPY\n\xff\r\n\0", which starts every binary COPY stream.
    private static ReadOnlySpan<byte> Signature => [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00];

    // PostgreSQL's binary timestamps count microseconds from 2000-01-01 UTC.
    private static readonly long StartMicroseconds = (Start - new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)).Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>
    /// Fills the pools for <paramref name="seed"/> on a thread of its own: Bogus loads its locale on first use, which
    /// costs as much as a round of statements, so a reset starts this before it connects to the database it seeds.
    /// </summary>
    public static Task<NotePools> PoolsAsync(int seed) => Task.Run(() =>
    {
        var faker = new Faker("en") { Random = new Randomizer(seed) };
        var titles = Pool(() => faker.Lorem.Sentence(3).TrimEnd('.'));
        var bodies = Pool(() => faker.Lorem.Sentence(8));
        return new NotePools(seed, titles, bodies);
    });

    public static async Task SeedAsync(NpgsqlConnection connection, int rows, Task<NotePools> filling, CancellationToken cancellation)
    {
        var (seed, titles, bodies) = await filling;
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        var constraints = await DropKeyConstraintsAsync(connection, transaction, cancellation);
        // Emptied in this transaction, so COPY may write the rows frozen, as pgbench -i does: no hint bits to set later.
        await ExecuteAsync(connection, transaction, "TRUNCATE public.notes", cancellation);
        await using (var copy = await connection.BeginRawBinaryCopyAsync("COPY public.notes (id, title, body, created_at) FROM STDIN (FORMAT BINARY, FREEZE)", cancellation))
            await StreamRowsAsync(copy, rows, seed, titles, bodies, cancellation);

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

    // The binary COPY format: a signature, flags and header extension, then per row a field count and each field as
    // length + big-endian bytes, then -1.
    private static async Task StreamRowsAsync(Stream copy, int rows, int seed, byte[][] titles, byte[][] bodies, CancellationToken cancellation)
    {
        var sequence = new SplitMix64((ulong)seed);
        // Notes are spread over two years in id order: created_at grows with id, as in a live service.
        var step = (ulong)Math.Max(1, SpanMicroseconds / Math.Max(rows, 1));
        var widest = 2 + (4 + 8) * 2 + 4 + titles.Max(title => title.Length) + 4 + bodies.Max(body => body.Length);
        var buffer = new byte[BufferSize];
        Signature.CopyTo(buffer);
        var used = Signature.Length + 4 + 4;
        for (long id = 1; id <= rows; id++)
        {
            if (used > BufferSize - widest)
            {
                await copy.WriteAsync(buffer.AsMemory(0, used), cancellation);
                used = 0;
            }

            var next = sequence.Next();
            var microseconds = (ulong)(id - 1) * step + (next >> (2 * PoolBits)) % step;
            used = WriteRow(buffer, used, id, titles[next & PoolMask], bodies[(next >> PoolBits) & PoolMask], StartMicroseconds + (long)microseconds);
        }

        BinaryPrimitives.WriteInt16BigEndian(buffer.AsSpan(used), -1);
        await copy.WriteAsync(buffer.AsMemory(0, used + 2), cancellation);
    }

    private static int WriteRow(byte[] buffer, int at, long id, byte[] title, byte[] body, long createdAt)
    {
        var row = buffer.AsSpan(at);
        BinaryPrimitives.WriteInt16BigEndian(row, 4);
        var written = 2;
        written += WriteInt64(row[written..], id);
        written += WriteBytes(row[written..], title);
        written += WriteBytes(row[written..], body);
        written += WriteInt64(row[written..], createdAt);
        return at + written;
    }

    private static int WriteInt64(Span<byte> field, long value)
    {
        BinaryPrimitives.WriteInt32BigEndian(field, sizeof(long));
        BinaryPrimitives.WriteInt64BigEndian(field[4..], value);
        return 4 + sizeof(long);
    }

    private static int WriteBytes(Span<byte> field, byte[] value)
    {
        BinaryPrimitives.WriteInt32BigEndian(field, value.Length);
        value.CopyTo(field[4..]);
        return 4 + value.Length;
    }

    private static byte[][] Pool(Func<string> make) => Enumerable.Range(0, PoolSize).Select(_ => Encoding.UTF8.GetBytes(make())).ToArray();

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

/// <summary>The titles and bodies a seed's notes pick from, already encoded.</summary>
internal sealed record NotePools(int Seed, byte[][] Titles, byte[][] Bodies);
