using System.CommandLine;
using System.Globalization;
using Edge.Fleet.Publishing;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>edge-fleet deploy &lt;pkg&gt; --fleet F --device D | --group G</c>: publishes a retained job for the package and
/// serves its MQTT chunk requests, printing every state report, until the device ends the job (or, for a group, until
/// <c>--serve-for</c> passes or Ctrl+C). Minimal by design; wave rollouts build on the same Publishing types.
/// </summary>
internal static class DeployCommand
{
    public static Command Build(CliContext context, TimeProvider time)
    {
        var package = new Argument<FileInfo>("package") { Description = "The signed .edgepkg to deploy." };
        var device = new Option<string?>("--device") { Description = "Target device id." };
        var group = new Option<string?>("--group") { Description = "Target group name (devices list it in Ota:Groups)." };
        var jobId = new Option<string?>("--job-id") { Description = "Job id (default: NAME-VERSION-yyyyMMddHHmmss)." };
        var url = new Option<string?>("--url") { Description = "Download over HTTP(S) from this URL (Range requests) instead of MQTT chunks." };
        var chunkSize = new Option<int>("--chunk-size") { Description = "Chunk size in bytes.", DefaultValueFactory = _ => 256 * 1024 };
        var allowDowngrade = new Option<bool>("--allow-downgrade") { Description = "Let the device install a version that is not newer than its active one." };
        var latencyRatio = new Option<double>("--max-latency-ratio") { Description = "Health gate: new p95 at most this times the current one.", DefaultValueFactory = _ => 1.2 };
        var watch = new Option<double>("--watch-seconds") { Description = "Watch window after the switch, in seconds.", DefaultValueFactory = _ => 30 };
        var serveFor = new Option<double>("--serve-for") { Description = "Seconds to serve chunks for a group job (device jobs end when the device reports a final state).", DefaultValueFactory = _ => 600 };
        var broker = new BrokerOptions();
        var command = new Command("deploy", "Publish an OTA job for a device or a group and serve the package over MQTT.")
        {
            package, device, group, jobId, url, chunkSize, allowDowngrade, latencyRatio, watch, serveFor,
        };
        broker.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var targetDevice = parseResult.GetValue(device);
            var targetGroup = parseResult.GetValue(group);
            if ((targetDevice is null) == (targetGroup is null))
            {
                throw new CliUsageException("Give exactly one of --device and --group.");
            }

            var path = parseResult.GetRequiredValue(package).FullName;
            var info = await PackageInfoReader.ReadAsync(path, cancellationToken);
            var id = parseResult.GetValue(jobId) ?? $"{info.Name}-{info.Version}-{time.GetUtcNow():yyyyMMddHHmmss}".Replace('+', '_');
            var transfer = parseResult.GetValue(url) is { } address
                ? new OtaTransfer { Method = OtaTransferMethods.Http, Url = address, ChunkSize = parseResult.GetValue(chunkSize) }
                : new OtaTransfer { ChunkSize = parseResult.GetValue(chunkSize) };
            var gate = new OtaHealthGate { MaxLatencyRatio = parseResult.GetValue(latencyRatio), WatchWindowSeconds = parseResult.GetValue(watch) };
            var job = await JobPublisher.CreateJobAsync(path, id, transfer, gate, parseResult.GetValue(allowDowngrade), null, time.GetUtcNow(), cancellationToken);
            var fleet = parseResult.GetRequiredValue(broker.Fleet);

            using var client = await BrokerConnection.ConnectAsync(parseResult.GetRequiredValue(broker.Broker), $"edge-fleet-deploy-{id}", parseResult.GetValue(broker.User), broker.PasswordFrom(parseResult), cancellationToken);
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
            var publisher = new JobPublisher(client, fleet);
            if (targetDevice is not null)
            {
                await publisher.PublishToDeviceAsync(targetDevice, job, cancellationToken);
                await context.Output.WriteLineAsync($"published job {id} ({info.Name} {info.Version}, {info.Size} bytes) to device {targetDevice}");
                var final = await states.WaitForTerminalAsync(targetDevice, id, cancellationToken);
                return final.State == OtaJobStates.Succeeded ? ExitCodes.Success : ExitCodes.GoalNotMet;
            }

            await publisher.PublishToGroupAsync(targetGroup!, job, cancellationToken);
            await context.Output.WriteLineAsync($"published job {id} ({info.Name} {info.Version}, {info.Size} bytes) to group {targetGroup}; serving chunks for {parseResult.GetValue(serveFor)} s");
            await Task.Delay(TimeSpan.FromSeconds(parseResult.GetValue(serveFor)), time, cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    internal static string Describe(OtaJobStateReport report) => string.Create(CultureInfo.InvariantCulture, $"{report.Device} {report.State}{(report.Phase is null ? "" : $" ({report.Phase})")}{(report.Progress is { } p ? $" {p.Percent:F1}% {p.BytesReceived}/{p.TotalBytes} bytes" : "")}{(report.Reason is null ? "" : $": {report.Reason}")}");
}
