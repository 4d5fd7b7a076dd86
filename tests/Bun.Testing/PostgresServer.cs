using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit.Abstractions;

namespace Bun.Testing;

/// <summary>
/// A private PostgreSQL server for the whole test run: initdb into a temp folder, pg_ctl start on a free port of
/// 127.0.0.1, stopped and deleted at the end. PostgreSQL refuses to run as root, so under root it runs as
/// <see cref="SystemUser"/> (.ci/services/postgres.sh installs the server and creates that user).
/// Each test asks for its own database: an empty one, or one migrated with the repository's db/migrations.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string SystemUser = "bunpg";
    public const string Superuser = "postgres";

    private readonly string _folder = Directory.CreateTempSubdirectory("bun-pg-").FullName;
    private string _bin = "";

    /// <summary>URL-hostile on purpose (: @ /), so every test also proves that URLs are decoded and the password masked.</summary>
    public string Password { get; } = $"Pw:{Guid.NewGuid():N}@x/";

    public int Port { get; private set; }

    /// <summary>Why the server could not start, or null when it runs.</summary>
    public string? Unavailable { get; private set; }

    private string DataFolder => Path.Combine(_folder, "data");

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch (Exception exception)
        {
            Unavailable = exception.Message;
        }
    }

    /// <summary>Fails the test under CI=true when the server did not start; on a laptop, skips it with the reason.</summary>
    public void Require(ITestOutputHelper log) => ServiceGate.Require(Unavailable, "The PostgreSQL test server",
        "Install PostgreSQL 15 (.ci/services/postgres.sh) or set BUN_PG_BIN to its bin folder.", log);

    /// <summary>A new, empty database; returns its postgres:// URL with the superuser's password.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t_{Guid.NewGuid():N}";
        await using var connection = await OpenAsync("postgres");
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return UrlFor(name);
    }

    /// <summary>A new database with every script of the repository's db/migrations applied, in order; returns its postgres:// URL.</summary>
    public async Task<string> CreateMigratedDatabaseAsync()
    {
        var url = await CreateDatabaseAsync();
        foreach (var script in Directory.GetFiles(RepositoryRoot.PathOf("db", "migrations"), "*.sql").Order(StringComparer.Ordinal))
        {
            // A session of its own for each script, so that no script's settings reach the next.
            await using var connection = await OpenAsync(DatabaseOf(url));
            await using var command = new NpgsqlCommand(await File.ReadAllTextAsync(script), connection);
            await command.ExecuteNonQueryAsync();
        }

        return url;
    }

    public string UrlFor(string database, string? password = null, int? port = null) =>
        $"postgres://{Superuser}:{Uri.EscapeDataString(password ?? Password)}@127.0.0.1:{port ?? Port}/{database}";

    public async Task<NpgsqlConnection> OpenAsync(string database)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = Port, Username = Superuser, Password = Password, Database = database, Pooling = false,
        }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public static string DatabaseOf(string url) => new Uri(url).AbsolutePath.TrimStart('/');

    public async Task DisposeAsync()
    {
        // Also after a failed start: pg_ctl may have given up waiting on a server that did start.
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
            await RunAsync("pg_ctl", "stop", "-D", DataFolder, "-m", "immediate", "-w");
        Directory.Delete(_folder, recursive: true);
    }

    private async Task StartAsync()
    {
        _bin = FindBinaries();
        if (RunsAsRoot && !File.ReadLines("/etc/passwd").Any(line => line.StartsWith(SystemUser + ":", StringComparison.Ordinal)))
            throw new InvalidOperationException($"PostgreSQL refuses to run as root and the user {SystemUser} does not exist; run .ci/services/postgres.sh");

        // The server runs as another user: it must be able to create its data folder, log and socket here.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_folder, (UnixFileMode)0b111_111_111);
        var passwordFile = Path.Combine(_folder, "password");
        await File.WriteAllTextAsync(passwordFile, Password);
        await RunAsync("initdb", "-D", DataFolder, "-U", Superuser, $"--pwfile={passwordFile}",
            "--auth-host=scram-sha-256", "--auth-local=trust", "--encoding=UTF8", "--locale=C", "--no-sync");
        File.Delete(passwordFile);

        Port = FreePort();
        // Durability is irrelevant for a throwaway server; without fsync the tests stay fast.
        var log = Path.Combine(_folder, "server.log");
        try
        {
            await RunAsync("pg_ctl", "start", "-D", DataFolder, "-w", "-t", "60", "-l", log, "-o",
                $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        catch (InvalidOperationException exception) when (File.Exists(log))
        {
            throw new InvalidOperationException($"{exception.Message}; server log: {string.Join(" | ", File.ReadLines(log).TakeLast(5))}");
        }
    }

    private static bool RunsAsRoot => Environment.UserName == "root";

    private static string FindBinaries()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("BUN_PG_BIN"), "/usr/lib/postgresql/15/bin" }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator));
        return candidates.FirstOrDefault(folder => !string.IsNullOrEmpty(folder) && File.Exists(Path.Combine(folder, "initdb")))
               ?? throw new InvalidOperationException("no initdb in BUN_PG_BIN, /usr/lib/postgresql/15/bin or PATH");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task RunAsync(string tool, params string[] arguments)
    {
        var executable = Path.Combine(_bin, tool);
        var start = RunsAsRoot ? new ProcessStartInfo("runuser", ["-u", SystemUser, "--", executable, .. arguments]) : new ProcessStartInfo(executable, arguments);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {(await error).Trim()} {(await output).Trim()}");
    }
}
