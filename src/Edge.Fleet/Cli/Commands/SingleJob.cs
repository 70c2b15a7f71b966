using System.CommandLine;
using System.Globalization;
using Edge.Fleet.Deployments;
using Edge.Fleet.Inventory;
using Edge.Fleet.Publishing;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>deploy --device D | --ota-group G</c>: one OTA job, no waves. Publishes the retained job, serves its MQTT
/// chunks, prints every state report; for a device it returns when the device ends the job (0 succeeded, 3 otherwise),
/// for a group topic after <c>--serve-for</c>. With <c>--shadow</c> the job carries the shadow settings and the
/// device's reports print its figures.
/// </summary>
internal static class SingleJob
{
    public static Option<string?> JobId { get; } = new("--job-id") { Description = "Single job: the job id (default NAME-VERSION-yyyyMMddHHmmss)." };

    public static Option<string?> Url { get; } = new("--url") { Description = "Single job: download over HTTP(S) from this URL (Range requests) instead of MQTT chunks." };

    public static Option<int> ChunkSize { get; } = new("--chunk-size") { Description = "Single job: chunk size in bytes.", DefaultValueFactory = _ => 256 * 1024 };

    public static Option<bool> AllowDowngrade { get; } = new("--allow-downgrade") { Description = "Single job: let the device install a version that is not newer." };

    public static Option<double> MaxLatencyRatio { get; } = new("--max-latency-ratio") { Description = "Device health gate: new p95 at most this times the current one (default 1.2).", DefaultValueFactory = _ => 1.2 };

    public static Option<double> MaxLiveLatencyRatio { get; } = new("--max-live-latency-ratio") { Description = "Device health gate: live p95 in the watch window at most this times the previous model's (default 1.5).", DefaultValueFactory = _ => 1.5 };

    public static Option<double> WatchSeconds { get; } = new("--watch-seconds") { Description = "Device health gate: watch window after the switch, seconds (default 30).", DefaultValueFactory = _ => 30 };

    public static Option<double> ServeFor { get; } = new("--serve-for") { Description = "--ota-group: seconds to serve chunks.", DefaultValueFactory = _ => 600 };

    public static async Task<int> RunAsync(CliContext context, ParseResult parse, TimeProvider time, string fleet, string path, string? device, string? group, OtaShadowRequest? shadow, CancellationToken cancellationToken)
    {
        if (device is null && parse.GetValue(PassportOptions.RequirePassport))
        {
            throw new CliUsageException($"--require-passport needs --group or --device: the devices behind the group topic '{group}' are unknown to the publisher, so their hardware classes cannot be checked.");
        }

        var info = await PackageTrustOptions.VerifyOrWarnAsync(parse, context, path, cancellationToken);
        var id = parse.GetValue(JobId) ?? $"{info.Name}-{info.Version}-{time.GetUtcNow():yyyyMMddHHmmss}".Replace('+', '_');
        var transfer = parse.GetValue(Url) is { } address
            ? new OtaTransfer { Method = OtaTransferMethods.Http, Url = address, ChunkSize = parse.GetValue(ChunkSize) }
            : new OtaTransfer { ChunkSize = parse.GetValue(ChunkSize) };
        var gate = new OtaHealthGate { MaxLatencyRatio = parse.GetValue(MaxLatencyRatio), MaxLiveLatencyRatio = parse.GetValue(MaxLiveLatencyRatio), WatchWindowSeconds = parse.GetValue(WatchSeconds) };
        var job = JobPublisher.CreateJob(info, id, transfer, gate, parse.GetValue(AllowDowngrade), null, time.GetUtcNow()) with { Shadow = shadow };
        if (shadow is not null)
        {
            await context.Output.WriteLineAsync(ShadowTally.Describe(shadow));
        }

        using var signer = await FleetCommandOptions.JobSignerAsync(parse, cancellationToken);
        await using var connection = await FleetCommandOptions.ConnectAsync(parse, context, time, "deploy", cancellationToken);
        if (device is not null)
        {
            await PassportOptions.CheckAsync(parse, context, path, [await ReadDeviceAsync(connection, fleet, device, time, cancellationToken)], cancellationToken);
        }

        var client = connection.Client;
        await using var chunks = new ChunkServer(client, fleet);
        using var states = new JobStateTracker(client, fleet);
        states.Received += report =>
        {
            if (report.JobId == id)
            {
                context.Output.WriteLine(Describe(report));
            }
        };
        chunks.Serve(job, path);
        await chunks.StartAsync(cancellationToken);
        await states.StartAsync(cancellationToken);
        var publisher = new JobPublisher(client, fleet, signer);
        if (device is not null)
        {
            await publisher.PublishToDeviceAsync(device, job, cancellationToken);
            await context.Output.WriteLineAsync($"published job {id} ({info.Name} {info.Version}, {info.Size} bytes) to device {device}");
            var final = await states.WaitForTerminalAsync(device, id, cancellationToken);
            return final.State == OtaJobStates.Succeeded ? ExitCodes.Success : ExitCodes.GoalNotMet;
        }

        await publisher.PublishToGroupAsync(group!, job, cancellationToken);
        await context.Output.WriteLineAsync($"published job {id} ({info.Name} {info.Version}, {info.Size} bytes) to group {group}; serving chunks for {parse.GetValue(ServeFor)} s");
        await Task.Delay(TimeSpan.FromSeconds(parse.GetValue(ServeFor)), time, cancellationToken);
        return ExitCodes.Success;
    }

    /// <summary>The device as its retained status describes it (for the passport check); without a status, a record with no facts.</summary>
    private static async Task<DeviceRecord> ReadDeviceAsync(Connection.BrokerConnection connection, string fleet, string device, TimeProvider time, CancellationToken cancellationToken)
    {
        var statuses = new StatusCollector(fleet, time);
        await statuses.StartAsync(connection, cancellationToken);
        await statuses.WaitForRetainedAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10), cancellationToken);
        var facts = statuses.Statuses.TryGetValue(device, out var status) ? status.Facts : null;
        return new DeviceRecord { Fleet = fleet, Device = device, Online = status?.State == "online", Models = facts?.Models ?? [], Hardware = facts?.Hardware };
    }

    internal static string Describe(OtaJobStateReport report) => string.Create(CultureInfo.InvariantCulture,
        $"{report.Device} {report.State}{(report.Phase is null ? "" : $" ({report.Phase})")}{(report.Progress is { } p ? $" {p.Percent:F1}% {p.BytesReceived}/{p.TotalBytes} bytes" : "")}{(report.Shadow is { } s ? $" shadow {ShadowTally.Describe(s.Samples, s.Agreements)}" : "")}{(report.Reason is null ? "" : $": {report.Reason}")}");
}
