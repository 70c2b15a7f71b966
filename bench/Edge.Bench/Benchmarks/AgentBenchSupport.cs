using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Edge.Agent.Storage;
using Edge.TestUtilities;
using Edge.TestUtilities.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// Shared parts of the agent benchmarks: the Native AOT build of edge-agent, running it against a Mosquitto child
/// process, reading its RSS and CPU time from /proc, and a subscriber that timestamps arrivals.
/// </summary>
internal static class AgentBenchSupport
{
    public static string AotDirectory => Path.Combine(TestData.RepositoryRoot, "bench", "results", "tmp", "edge-agent-aot");

    public static string AotExecutable => Path.Combine(AotDirectory, "edge-agent");

    /// <summary>The AOT build with the local HTTP server compiled in (<c>-p:EdgeLocalHttp=true</c>, docs/local-http.md).</summary>
    public static string AotHttpExecutable => Path.Combine(TestData.RepositoryRoot, "bench", "results", "tmp", "edge-agent-aot-http", "edge-agent");

    /// <summary>
    /// Publishes edge-agent with Native AOT for linux-x64 (needs clang and zlib1g-dev) into <see cref="AotDirectory"/>,
    /// or with the local HTTP server into the folder of <see cref="AotHttpExecutable"/>; returns null or the failure.
    /// </summary>
    public static async Task<string?> PublishAotAsync(CancellationToken cancellationToken, bool localHttp = false)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestData.RepositoryRoot };
        var output = localHttp ? Path.GetDirectoryName(AotHttpExecutable)! : AotDirectory;
        foreach (var argument in new[] { "publish", "src/Edge.Agent", "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", "-v:quiet", $"-p:EdgeLocalHttp={localHttp}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 && File.Exists(Path.Combine(output, "edge-agent"))
            ? null
            : $"dotnet publish -r linux-x64 (Native AOT) failed with exit code {process.ExitCode}: {(await text + await errors).Trim()}";
    }

    public static Process StartAgent(string executable, string device, int port, string outbox, params string[] extra)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] arguments =
        [
            "--FleetId=bench", $"--DeviceId={device}", "--Mqtt:Host=127.0.0.1", $"--Mqtt:Port={port}", $"--Outbox:Path={outbox}",
            "--Logging:LogLevel:Default=Warning", .. extra,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    /// <summary>Resident set size (VmRSS) of a process in bytes.</summary>
    public static long ResidentBytes(int pid) => StatusField(pid, "VmRSS:");

    /// <summary>Number of threads of a process.</summary>
    public static long ThreadCount(int pid) => StatusValue(pid, "Threads:");

    /// <summary>Peak resident set size (VmHWM) of a process in bytes.</summary>
    public static long PeakResidentBytes(int pid) => StatusField(pid, "VmHWM:");

    /// <summary>User + system CPU time of a process, from /proc/{pid}/stat.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    public static byte[] Payload(int size) => Encoding.UTF8.GetBytes("{\"v\":\"" + new string('x', size - 8) + "\"}");

    public static async Task PrefillAsync(string outboxPath, int records, int size)
    {
        var statistics = new OutboxStatistics();
        await using var outbox = new SqliteOutbox(outboxPath, 1L << 30, TimeProvider.System, statistics);
        await outbox.OpenAsync(CancellationToken.None);
        var payload = Payload(size);
        for (var i = 0; i < records; i += 1000)
        {
            await outbox.EnqueueAsync(Enumerable.Repeat<ReadOnlyMemory<byte>>(payload, Math.Min(1000, records - i)).ToArray(), CancellationToken.None);
        }
    }

    /// <summary>A QoS 1 subscriber that records when each message arrived.</summary>
    internal sealed class Subscriber : IAsyncDisposable
    {
        private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
        private readonly ConcurrentQueue<(long Timestamp, int Records)> _arrivals = new();

        private Subscriber()
        {
            _client.ApplicationMessageReceivedAsync += e =>
            {
                _arrivals.Enqueue((Stopwatch.GetTimestamp(), CountRecords(e.ApplicationMessage)));
                return Task.CompletedTask;
            };
        }

        public int Messages => _arrivals.Count;

        public int Records => _arrivals.Sum(a => a.Records);

        public IReadOnlyCollection<(long Timestamp, int Records)> Arrivals => _arrivals;

        public static async Task<Subscriber> StartAsync(int port, string topic)
        {
            var subscriber = new Subscriber();
            await subscriber._client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("bench-sub-" + Guid.NewGuid().ToString("N")[..6]).Build());
            await subscriber._client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);
            return subscriber;
        }

        public async Task WaitForRecordsAsync(int records, TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            while (Records < records)
            {
                if (watch.Elapsed > timeout)
                {
                    throw new TimeoutException($"Received {Records} of {records} records in {timeout.TotalSeconds} s.");
                }

                await Task.Delay(10);
            }
        }

        /// <summary>Seconds from the first to the last arrival.</summary>
        public double SpanSeconds()
        {
            var all = _arrivals.ToArray();
            return Stopwatch.GetElapsedTime(all[0].Timestamp, all[^1].Timestamp).TotalSeconds;
        }

        public async ValueTask DisposeAsync()
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }

            _client.Dispose();
        }

        private static int CountRecords(MqttApplicationMessage message)
        {
            // Telemetry batches carry "seq" once per record; anything else (mosquitto_pub baseline) is one record.
            var text = Encoding.UTF8.GetString(message.Payload);
            var count = 0;
            for (var index = text.IndexOf("\"seq\":", StringComparison.Ordinal); index >= 0; index = text.IndexOf("\"seq\":", index + 6, StringComparison.Ordinal))
            {
                count++;
            }

            return Math.Max(count, 1);
        }
    }

    public static async Task<MosquittoBroker> StartBrokerAsync() => await MosquittoBroker.StartAsync();

    public static string TempDirectory(string name) => Directory.CreateTempSubdirectory("edge-bench-" + name + "-").FullName;

    private static long StatusField(int pid, string field) => StatusValue(pid, field) * 1024; // sizes are in kB

    private static long StatusValue(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no {field}.");
    }
}
