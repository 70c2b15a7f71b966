using Microsoft.Data.Sqlite;

namespace Edge.Agent.Tests.Hosting;

/// <summary>The standalone agent as a separate process: crash safety and configuration errors.</summary>
public sealed class AgentProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-agent-process-").FullName;

    [Fact]
    public async Task Outbox_AgentKilledWhileBrokerDown_QueuedTelemetryDeliveredAfterRestart()
    {
        var port = FreePort.Next(); // nothing listens here until the broker starts below
        var outboxPath = Path.Combine(_directory, "outbox.db");
        string[] arguments =
        [
            "--FleetId=fleet1", "--DeviceId=dev-crash", "--Mqtt:Host=127.0.0.1", $"--Mqtt:Port={port}",
            "--Mqtt:ReconnectMinDelay=00:00:00.05", "--Mqtt:ReconnectMaxDelay=00:00:00.2", "--Telemetry:Interval=00:00:00.1",
            "--Telemetry:BatchSize=7", $"--Outbox:Path={outboxPath}",
        ];

        long queued;
        using (var first = AgentProcess.Start(arguments))
        {
            await MqttTestClient.WaitUntilAsync(() => File.Exists(outboxPath) && CountRecords(outboxPath) >= 20, TimeSpan.FromSeconds(30),
                () => $"20 queued records; agent output:\n{first.Output}");
            first.Kill();
        }

        queued = MaxSequence(outboxPath);
        Assert.True(queued >= 20, $"Only {queued} records were queued before the kill.");

        await using var broker = await MosquittoBroker.StartAsync(port: port);
        await using var subscriber = await MqttTestClient.ConnectAsync(broker.Host, broker.Port, "sub-crash");
        await subscriber.SubscribeAsync("edge/fleet1/dev-crash/telemetry");
        using var second = AgentProcess.Start(arguments);
        await MqttTestClient.WaitUntilAsync(
            () => subscriber.Received.SelectMany(TelemetryMessages.Sequences).Distinct().Count(s => s <= queued) == queued
                && subscriber.Received.SelectMany(TelemetryMessages.Sequences).Any(s => s > queued),
            TimeSpan.FromSeconds(30),
            () => $"all {queued} records queued before the kill, then newer ones; agent output:\n{second.Output}");

        var sequences = subscriber.Received.SelectMany(TelemetryMessages.Sequences).ToArray();
        Assert.Equal(Enumerable.Range(1, (int)queued).Select(i => (long)i), sequences.Where(s => s <= queued).Distinct().Order());
    }

    [Fact]
    public async Task Start_InvalidSettings_ExitsWithCode2ListingEveryError()
    {
        using var agent = AgentProcess.Start(["--DeviceId=bad/id", "--Mqtt:Port=70000", "--Telemetry:Compression=zip", "--Memory:TrimFileMappings=sometimes", $"--Outbox:Path={_directory}/o.db"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await agent.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, agent.ExitCode);
        Assert.Contains("FleetId must be", agent.Output, StringComparison.Ordinal);
        Assert.Contains("DeviceId must be", agent.Output, StringComparison.Ordinal);
        Assert.Contains("'bad/id'", agent.Output, StringComparison.Ordinal);
        Assert.Contains("Mqtt:Port must be between 1 and 65535; got 70000", agent.Output, StringComparison.Ordinal);
        Assert.Contains("Telemetry:Compression must be 'none' or 'gzip'; got 'zip'", agent.Output, StringComparison.Ordinal);
        Assert.Contains("Memory:TrimFileMappings must be true or false; got 'sometimes'", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OnlyTrimFileMappingsInvalid_ExitsWithCode2NamingIt()
    {
        using var agent = AgentProcess.Start(["--FleetId=f", "--DeviceId=d", "--Mqtt:Port=1", "--Memory:TrimFileMappings=1", $"--Outbox:Path={_directory}/o.db"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await agent.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, agent.ExitCode);
        Assert.Contains("Memory:TrimFileMappings must be true or false; got '1'", agent.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static long CountRecords(string path) => Scalar(path, "SELECT COUNT(*) FROM outbox");

    private static long MaxSequence(string path) => Scalar(path, "SELECT COALESCE(MAX(id), 0) FROM outbox");

    private static long Scalar(string path, string sql)
    {
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0; // the agent is still creating the schema
        }
    }
}
