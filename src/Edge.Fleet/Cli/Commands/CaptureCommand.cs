using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Fleet.Capture;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>edge-fleet capture enable|disable|status|pull TARGET</c> (TARGET: a device id or <c>group:NAME</c>): switches
/// field-data capture per device and pulls the captured inputs into an <c>.npz</c> calibration set, resumably
/// (docs/fleet.md, "Field data capture"). Exit 0 when every device did it, 3 when some devices of a group did not
/// (each named), 2 with one line for a bad target, an offline device, capture off or a spent data budget.
/// </summary>
internal static class CaptureCommand
{
    public static Command Create(CliContext context, TimeProvider time)
    {
        var timeout = new Option<string>("--timeout") { Description = "How long to wait for each device's answer (default 10s).", DefaultValueFactory = _ => "10s", Recursive = true };
        var command = new Command("capture", "Field-data capture: sample devices' model inputs and outputs into a bounded on-device ring, and pull them as a calibration set.")
        {
            timeout,
        };
        command.Subcommands.Add(Enable(context, time, timeout));
        command.Subcommands.Add(Disable(context, time, timeout));
        command.Subcommands.Add(Status(context, time, timeout));
        command.Subcommands.Add(CapturePullCommand.Create(context, time, timeout));
        return command;
    }

    /// <summary>The target argument every subcommand takes.</summary>
    internal static Argument<string> Target() => new("target") { Description = "A device id, or group:NAME for every member of a group." };

    private static Command Enable(CliContext context, TimeProvider time, Option<string> timeout)
    {
        var target = Target();
        var fraction = new Option<string>("--fraction") { Description = "Share of inference calls kept: 1% or 0.01 (default 1%).", DefaultValueFactory = _ => "1%" };
        var maxSamples = new Option<int?>("--max-samples") { Description = "Most samples a device keeps; the oldest go first (default: the device's setting, 1000)." };
        var maxBytes = new Option<string?>("--max-bytes") { Description = "Most bytes a device keeps, e.g. 64MiB; the oldest go first (default: the device's setting, 64MiB)." };
        var rawFrames = new Option<bool>("--raw-frames")
        {
            Description = "Also keep the raw frame (a camera's JPEG) the app attaches to each sampled call. Frames can show people and places; off unless given.",
        };
        var enable = new Command("enable", "Switches capture on (kept across agent restarts).") { target, fraction, maxSamples, maxBytes, rawFrames };
        enable.SetAction((parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var share = FleetCommandOptions.ReadOrList(() => FleetCommandOptions.Fraction(parse.GetValue(fraction)!, "--fraction"), 0.01, errors);
            if (errors.Count == 0 && share is <= 0 or > 1)
            {
                errors.Add($"--fraction must be above 0 and at most 100%; got '{parse.GetValue(fraction)}'.");
            }

            var bytes = parse.GetValue(maxBytes) is { } text ? FleetCommandOptions.ReadOrList<long?>(() => CliByteSize.Parse(text, "--max-bytes"), null, errors) : null;
            if (parse.GetValue(maxSamples) is < 1)
            {
                errors.Add($"--max-samples must be 1 or more; got {parse.GetValue(maxSamples)}.");
            }

            CliUsageException.ThrowIfAny(errors);
            var arguments = new JsonObject { ["enabled"] = true, ["sampleFraction"] = share, ["rawFrames"] = parse.GetValue(rawFrames) };
            if (parse.GetValue(maxSamples) is { } samples)
            {
                arguments["maxSamples"] = samples;
            }

            if (bytes is { } b)
            {
                arguments["maxBytes"] = b;
            }

            return OnEachAsync(context, time, parse, parse.GetValue(target)!, timeout, "capture-config", arguments, Describe, cancellationToken);
        });
        return enable;
    }

    private static Command Disable(CliContext context, TimeProvider time, Option<string> timeout)
    {
        var target = Target();
        var disable = new Command("disable", "Switches capture off; samples already captured stay until pulled or replaced.") { target };
        disable.SetAction((parse, cancellationToken) =>
            OnEachAsync(context, time, parse, parse.GetValue(target)!, timeout, "capture-config", new JsonObject { ["enabled"] = false }, Describe, cancellationToken));
        return disable;
    }

    private static Command Status(CliContext context, TimeProvider time, Option<string> timeout)
    {
        var target = Target();
        var status = new Command("status", "Shows each device's capture settings, samples held and samples dropped.") { target };
        status.SetAction((parse, cancellationToken) =>
            OnEachAsync(context, time, parse, parse.GetValue(target)!, timeout, "capture-status", null, DescribeStatus, cancellationToken));
        return status;
    }

    private static async Task<int> OnEachAsync(
        CliContext context,
        TimeProvider time,
        ParseResult parse,
        string target,
        Option<string> timeout,
        string name,
        JsonObject? arguments,
        Func<JsonNode?, string> describe,
        CancellationToken cancellationToken)
    {
        var wait = Wait(parse, timeout);
        var fleet = FleetCommandOptions.FleetId(parse);
        await using var connection = await FleetCommandOptions.ConnectAsync(parse, context, time, "capture", cancellationToken);
        var client = await DeviceCommandClient.AttachAsync(connection, fleet, time, cancellationToken);
        var devices = await CaptureTargets.ResolveAsync(target, fleet, connection, ct => FleetCommandOptions.OpenStoreAsync(parse, time, ct), time, cancellationToken);
        var failed = 0;
        foreach (var device in devices)
        {
            try
            {
                var result = await client.RunAsync(device, name, arguments?.DeepClone().AsObject(), wait, cancellationToken);
                await context.Output.WriteLineAsync($"{device}: {describe(result)}");
            }
            catch (FleetException e) when (devices.Count > 1)
            {
                failed++;
                await context.Output.WriteLineAsync($"{device}: not done: {e.Message}");
            }
        }

        return failed == 0 ? ExitCodes.Success : ExitCodes.GoalNotMet;
    }

    internal static TimeSpan Wait(ParseResult parse, Option<string> timeout)
    {
        var wait = FleetCommandOptions.Duration(parse.GetValue(timeout)!, "--timeout");
        return wait > TimeSpan.Zero ? wait : throw new CliUsageException($"--timeout must be longer than 0; got '{parse.GetValue(timeout)}'.");
    }

    private static string Describe(JsonNode? result)
    {
        var state = (bool?)result?["enabled"] == true ? "on" : "off";
        var fraction = (double?)result?["sampleFraction"];
        var raw = (bool?)result?["rawFrames"] == true ? ", raw frames kept" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"capture {state}, fraction {fraction:0.####}, at most {(long?)result?["maxSamples"]} samples and {(long?)result?["maxBytes"]} bytes{raw}");
    }

    private static string DescribeStatus(JsonNode? result)
    {
        var models = result?["models"] is JsonObject m && m.Count > 0 ? string.Join(", ", m.Select(p => $"{p.Key} {p.Value}")) : "none";
        var held = string.Create(CultureInfo.InvariantCulture, $"holds {(long?)result?["samples"]} samples, {(long?)result?["bytes"]} bytes (models: {models})");
        var dropped = string.Create(CultureInfo.InvariantCulture,
            $"dropped {(long?)result?["droppedForBudget"]} for the bounds, {(long?)result?["droppedQueueFull"]} with the queue full");
        var raw = (bool?)result?["rawFrames"] == true
            ? string.Create(CultureInfo.InvariantCulture, $"; {(long?)result?["rawFramesKept"]} raw frames kept, {(long?)result?["rawFramesTooLarge"]} too large")
            : "";
        return $"{Describe(result)}; {held}; {dropped}; {(long?)result?["corruptRemoved"]} damaged files removed{raw}";
    }
}
