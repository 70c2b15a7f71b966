using System.CommandLine;
using Edge.Fleet.Capture;

namespace Edge.Fleet.Cli.Commands;

/// <summary><c>edge-fleet capture pull TARGET -o data.npz [--model NAME[@VERSION]]</c>: snapshots, downloads (resumably) and merges captured samples.</summary>
internal static class CapturePullCommand
{
    public static Command Create(CliContext context, TimeProvider time, Option<string> timeout)
    {
        var target = CaptureCommand.Target();
        var output = new Option<string>("--output", "-o") { Description = "The .npz to write; progress is kept in OUTPUT.partial/ until it is written.", Required = true };
        var model = new Option<string?>("--model") { Description = "Keep only samples of this model, NAME or NAME@VERSION (needed when devices served several)." };
        var chunkSize = new Option<string>("--chunk-size") { Description = "Bytes per chunk, 4KiB to 4MiB (default 256KiB).", DefaultValueFactory = _ => "256KiB" };
        var window = new Option<int>("--window") { Description = "Chunks asked for at once per device, 1 to 256 (default 32).", DefaultValueFactory = _ => 32 };
        var pull = new Command("pull", "Downloads the devices' captured samples into an .npz that 'edge-optimize quantize --calibration npy:FILE' reads; rerun after an interruption to resume.")
        {
            target, output, model, chunkSize, window,
        };
        pull.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var size = FleetCommandOptions.ReadOrList(() => CliByteSize.Parse(parse.GetValue(chunkSize)!, "--chunk-size"), 0, errors);
            if (errors.Count == 0 && size is < OtaJobValidator.MinChunkSize or > OtaJobValidator.MaxChunkSize)
            {
                errors.Add($"--chunk-size must be between {OtaJobValidator.MinChunkSize} and {OtaJobValidator.MaxChunkSize} bytes; got {size}.");
            }

            if (parse.GetValue(window) is < 1 or > 256)
            {
                errors.Add($"--window must be between 1 and 256; got {parse.GetValue(window)}.");
            }

            var path = Path.GetFullPath(parse.GetValue(output)!);
            if (!path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"--output must name an .npz file; got '{parse.GetValue(output)}'.");
            }

            if (Path.GetDirectoryName(path) is { } folder && !Directory.Exists(folder))
            {
                errors.Add($"--output's folder '{folder}' does not exist.");
            }

            CliUsageException.ThrowIfAny(errors);
            var wait = CaptureCommand.Wait(parse, timeout);
            var fleet = FleetCommandOptions.FleetId(parse);
            await using var connection = await FleetCommandOptions.ConnectAsync(parse, context, time, "capture", cancellationToken);
            var client = await DeviceCommandClient.AttachAsync(connection, fleet, time, cancellationToken);
            var devices = await CaptureTargets.ResolveAsync(parse.GetValue(target)!, fleet, connection, ct => FleetCommandOptions.OpenStoreAsync(parse, time, ct), time, cancellationToken);
            var fetcher = new CaptureSnapshotFetcher(client, time) { Window = parse.GetValue(window), ChunkTimeout = wait };
            var puller = new CapturePuller(client, fetcher, context.Error) { CommandTimeout = wait, ChunkSize = (int)size };
            var written = await puller.PullAsync(devices, path, parse.GetValue(model), cancellationToken);
            await context.Output.WriteLineAsync($"wrote {path}: {written} samples from {devices.Count} device(s)");
            return ExitCodes.Success;
        });
        return pull;
    }
}
