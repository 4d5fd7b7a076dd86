using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit.Abstractions;

namespace Bun.Api.Tests;

/// <summary>
/// A throwaway PostgreSQL 15 for the run, migrated with db/migrations: initdb into a temp folder, trust authentication
/// on a free port of 127.0.0.1, stopped and deleted at the end. Under root it runs as <c>bunpg</c>, the user
/// .ci/services/postgres.sh creates (PostgreSQL refuses root). Each test gets its own database.
/// </summary>
public sealed class NotesDatabase : IAsyncLifetime
{
    private const string SystemUser = "bunpg";
    private readonly string _folder = Directory.CreateTempSubdirectory("bun-api-pg-").FullName;
    private string _bin = "";
    private int _port;

    public string? Unavailable { get; private set; }

    public async Task InitializeAsync()
    {
        try
        {
            _bin = new[] { Environment.GetEnvironmentVariable("BUN_PG_BIN"), "/usr/lib/postgresql/15/bin" }
                       .FirstOrDefault(folder => folder is not null && File.Exists(Path.Combine(folder, "initdb")))
                   ?? throw new InvalidOperationException("no initdb in BUN_PG_BIN or /usr/lib/postgresql/15/bin");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(_folder, (UnixFileMode)0b111_111_111);
            await RunAsync("initdb", "-D", DataFolder, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync");
            _port = FreePort();
            await RunAsync("pg_ctl", "start", "-D", DataFolder, "-w", "-t", "60", "-l", Path.Combine(_folder, "server.log"), "-o",
                $"-p {_port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_folder} -c fsync=off");
        }
        catch (Exception exception)
        {
            Unavailable = exception.Message;
        }
    }

    /// <summary>Under CI=true a missing server fails the test; on a laptop the test says why, loudly, and returns.</summary>
    public bool IsRunning(ITestOutputHelper log)
    {
        if (Unavailable is null)
            return true;
        if (Environment.GetEnvironmentVariable("CI") == "true")
            Assert.Fail($"PostgreSQL did not start: {Unavailable} (CI=true, so this test must run)");
        log.WriteLine($"!!! NOT RUN: PostgreSQL did not start: {Unavailable}. Install it with .ci/services/postgres.sh");
        return false;
    }

    /// <summary>A new database with every migration of db/migrations applied; returns its postgres:// URL.</summary>
    public async Task<string> CreateMigratedAsync()
    {
        var name = $"notes_{Guid.NewGuid():N}";
        await ExecuteAsync("postgres", $"CREATE DATABASE {name}");
        foreach (var script in Directory.GetFiles(Path.Combine(RepositoryRoot(), "db", "migrations"), "*.sql").Order(StringComparer.Ordinal))
            await ExecuteAsync(name, await File.ReadAllTextAsync(script));
        return $"postgres://postgres@127.0.0.1:{_port}/{name}";
    }

    public async Task DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
            await RunAsync("pg_ctl", "stop", "-D", DataFolder, "-m", "immediate", "-w");
        Directory.Delete(_folder, recursive: true);
    }

    private string DataFolder => Path.Combine(_folder, "data");

    private async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={_port};Username=postgres;Database={database};Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task RunAsync(string tool, params string[] arguments)
    {
        var executable = Path.Combine(_bin, tool);
        var start = Environment.UserName == "root"
            ? new ProcessStartInfo("runuser", ["-u", SystemUser, "--", executable, .. arguments])
            : new ProcessStartInfo(executable, arguments);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {(await error).Trim()} {(await output).Trim()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Bun.sln")))
                return folder.FullName;
        }

        throw new InvalidOperationException($"No Bun.sln above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name)]
public sealed class NotesDatabaseCollection : ICollectionFixture<NotesDatabase>
{
    public const string Name = "Notes database";
}
