using System.Diagnostics;
using System.Globalization;
using Edge.TestUtilities.Mqtt;
using Npgsql;

namespace Edge.TestUtilities.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster: <c>initdb</c> into a private temp folder, then <c>pg_ctl start</c> listening on a
/// free 127.0.0.1 port (and a Unix socket in that folder) with trust authentication, which initdb grants to local and
/// loopback connections only. PostgreSQL refuses to run as root, so under root (as in CI) the folder is handed to the
/// <c>postgres</c> user and the server tools run through <c>runuser -u postgres</c>. Dispose stops the cluster
/// (<c>pg_ctl stop -m fast</c>) and deletes the folder. Tests get isolation from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>The operating-system user that runs the server when the tests run as root.</summary>
    public const string SystemUser = "postgres";

    private const string Superuser = "postgres";
    private static int s_databases;

    private readonly string _binaries;

    private PostgresServer(string binaries, string directory, int port)
    {
        _binaries = binaries;
        Directory = directory;
        Port = port;
    }

    /// <summary>The server listens on this loopback address only.</summary>
    public const string Host = "127.0.0.1";

    public int Port { get; }

    /// <summary>The cluster's private folder: <c>data/</c>, the server log and the Unix socket.</summary>
    public string Directory { get; }

    private string DataDirectory => Path.Combine(Directory, "data");

    private string LogPath => Path.Combine(Directory, "server.log");

    /// <summary>What the server has logged so far (for failure messages).</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : string.Empty;

    /// <summary>Creates and starts a cluster; fails (never skips) when PostgreSQL is not installed.</summary>
    /// <exception cref="InvalidOperationException">No PostgreSQL server binaries, or the cluster did not start (the message carries its log).</exception>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var binaries = FindBinaries();
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var directory = CreateFolder();
            var server = new PostgresServer(binaries, directory, FreePort.Next());
            try
            {
                await server.InitializeAsync(cancellationToken);
                await server.StartServerAsync(cancellationToken);
                return server;
            }
            catch (InvalidOperationException) when (attempt < attempts && server.Log.Contains("could not bind", StringComparison.Ordinal))
            {
                // Another process took the free port between FreePort.Next and the bind: start on a new one.
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> as the superuser over loopback TCP.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = Host, Port = Port, Username = Superuser, Database = database, Timeout = 15 }.ConnectionString;

    /// <summary>Creates an empty database with a new name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"edge_test_{Interlocked.Increment(ref s_databases)}");
        await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>Stops the server with its data kept (fast shutdown: open sessions are ended), as a database that goes away does.</summary>
    public Task StopServerAsync(CancellationToken cancellationToken = default) =>
        RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "stop"], cancellationToken);

    /// <summary>Starts a server stopped by <see cref="StopServerAsync"/> again, on the same port and data.</summary>
    public Task RestartServerAsync(CancellationToken cancellationToken = default) => StartServerAsync(cancellationToken);

    /// <summary>Stops the cluster (fast shutdown: open sessions are ended) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "stop"], CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // Already stopped (or never started); the folder is removed either way.
            }
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is removed with the temp folder by the OS later.
        }
    }

    /// <summary>
    /// A new private folder. Under root it goes in /tmp rather than $TMPDIR, which may sit below a home folder the
    /// <c>postgres</c> user cannot enter.
    /// </summary>
    private static string CreateFolder()
    {
        if (OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess)
        {
            return System.IO.Directory.CreateTempSubdirectory("edge-postgres-").FullName;
        }

        var folder = Path.Combine("/tmp", $"edge-postgres-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return folder;
    }

    private static string FindBinaries()
    {
        var candidates = new List<string>();
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is not null)
            {
                var bindir = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
                candidates.Add(bindir);
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No pg_config (only the client library's package has it): look in the versioned folders.
        }

        if (System.IO.Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException(
                $"PostgreSQL server binaries (initdb, pg_ctl) were not found in {(candidates.Count == 0 ? "pg_config --bindir or /usr/lib/postgresql/*/bin" : string.Join(", ", candidates))}; install them with eng/install-deps.sh (package postgresql).");
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("/bin/chown", [$"{SystemUser}:", Directory], cancellationToken, asServerUser: false);
        }

        await RunAsync("initdb", ["-D", DataDirectory, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"], cancellationToken);
    }

    private Task StartServerAsync(CancellationToken cancellationToken)
    {
        // Durability is not under test: fsync off keeps a 2-core CI machine fast.
        var options = string.Create(CultureInfo.InvariantCulture,
            $"-p {Port} -k {Directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
        return RunAsync("pg_ctl", ["-D", DataDirectory, "-l", LogPath, "-o", options, "-w", "-t", "60", "start"], cancellationToken);
    }

    /// <summary>Runs a server tool to completion (as <see cref="SystemUser"/> under root); throws with its output on a non-zero exit.</summary>
    private async Task RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool asServerUser = true)
    {
        var path = tool.StartsWith('/') ? tool : Path.Combine(_binaries, tool);
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asServerUser && Environment.IsPrivilegedProcess)
        {
            start.FileName = "runuser";
            foreach (var argument in (string[])["-u", SystemUser, "--", path])
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = path;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Process.Start returned null for {tool}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{tool} {string.Join(' ', arguments)} exited with code {process.ExitCode}:\n{await output}{await error}\nServer log:\n{Log}");
        }
    }
}
