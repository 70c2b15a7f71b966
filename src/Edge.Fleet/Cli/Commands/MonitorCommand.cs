using System.CommandLine;
using Edge.Fleet.Groups;
using Edge.Fleet.Inventory;
using Edge.Fleet.Monitoring;
using Edge.Fleet.Storage;
using Spectre.Console;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>edge-fleet monitor [--group G]</c>: live dashboard of the fleet's telemetry. On a terminal it redraws every
/// <c>--refresh</c>; otherwise (or with <c>--once</c>) it prints one plain frame after <c>--duration</c>. Telemetry is
/// also stored (bounded history) for <c>export</c> and deployment KPIs.
/// </summary>
internal static class MonitorCommand
{
    public static Command Create(CliContext context, TimeProvider time)
    {
        var group = new Option<string?>("--group") { Description = "Only devices of this group." };
        var refresh = new Option<string>("--refresh") { Description = "Redraw interval (default 1s).", DefaultValueFactory = _ => "1s" };
        var duration = new Option<string?>("--duration") { Description = "Stop after this long (e.g. 30s); default: until Ctrl+C on a terminal, 10s otherwise." };
        var once = new Option<bool>("--once") { Description = "Print one plain-text frame at the end instead of a live view." };
        var maxP95 = new Option<double?>("--max-p95-ms") { Description = "Highlight devices whose p95 latency exceeds this (ms)." };
        var maxErrors = new Option<string>("--max-error-rate") { Description = "Highlight error rates above this (default 1%).", DefaultValueFactory = _ => "1%" };
        var maxCpu = new Option<double>("--max-cpu") { Description = "Highlight CPU above this percentage (default 90).", DefaultValueFactory = _ => 90 };
        var maxMemory = new Option<double>("--max-memory") { Description = "Highlight memory use above this percentage (default 90).", DefaultValueFactory = _ => 90 };
        var maxTemperature = new Option<double>("--max-temp") { Description = "Highlight temperatures above this °C (default 80).", DefaultValueFactory = _ => 80 };
        var driftInput = new Option<double>("--drift-input") { Description = "Flag devices whose input drift (largest per-channel Gaussian KL divergence from the package's reference, nats) exceeds this (default 0.5).", DefaultValueFactory = _ => MonitorThresholds.DefaultMaxDriftInput };
        var driftConfidence = new Option<double>("--drift-confidence") { Description = "Flag devices whose confidence PSI against the package's reference exceeds this (default 0.25: significant).", DefaultValueFactory = _ => MonitorThresholds.DefaultMaxDriftConfidencePsi };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (schema edge.monitor/1) at the end instead of the table; implies --once." };
        var command = new Command("monitor", "Live dashboard: per device online, model version, p50/p95 with trend, errors, CPU, memory, temperature, drift; fleet totals; breaches highlighted.")
        {
            group, refresh, duration, once, maxP95, maxErrors, maxCpu, maxMemory, maxTemperature, driftInput, driftConfidence, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var fleet = FleetCommandOptions.FleetId(parse);
            var thresholds = new MonitorThresholds
            {
                MaxP95Ms = parse.GetValue(maxP95),
                MaxErrorRate = FleetCommandOptions.Fraction(parse.GetValue(maxErrors)!, "--max-error-rate"),
                MaxCpuPercent = parse.GetValue(maxCpu),
                MaxMemoryPercent = parse.GetValue(maxMemory),
                MaxTemperatureCelsius = parse.GetValue(maxTemperature),
                MaxDriftInput = NonNegative(parse.GetValue(driftInput), "--drift-input"),
                MaxDriftConfidencePsi = NonNegative(parse.GetValue(driftConfidence), "--drift-confidence"),
            };
            var interval = FleetCommandOptions.Duration(parse.GetValue(refresh)!, "--refresh");
            var asJson = parse.GetValue(json);
            var live = context.Interactive && !parse.GetValue(once) && !asJson;
            var runFor = parse.GetValue(duration) is { } text ? FleetCommandOptions.Duration(text, "--duration") : live ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(10);

            await using var store = await FleetCommandOptions.OpenStoreAsync(parse, time, cancellationToken);
            var groupName = parse.GetValue(group);
            Func<string, bool>? includes = null;
            if (groupName is not null)
            {
                var definition = await store.Groups.GetAsync(groupName, cancellationToken);
                var selector = definition.Selector is null ? null : GroupSelector.Parse(definition.Selector);
                var inventory = (await store.Inventory.LoadAsync(cancellationToken)).ToDictionary(d => d.Device, StringComparer.Ordinal);
                includes = id => definition.Devices.Contains(id) || (selector is not null && inventory.TryGetValue(id, out var d) && selector.Matches(d));
            }

            var state = new FleetMonitorState(includes);
            var statuses = new StatusCollector(fleet, time);
            statuses.StatusReceived += state.ApplyStatus;
            var ingestor = new TelemetryIngestor(fleet, state, store.Telemetry, store.Inventory, time);

            // A persistent session: what devices send while the broker or this tool restarts is queued, not dropped
            // (records are de-duplicated by seq, in memory and in the store). The handlers are attached before the
            // connect, because the broker hands over what it queued right after accepting the session.
            await using var connection = await FleetCommandOptions.ConnectAsync(parse, context, time, "monitor", cancellationToken, persistentSession: true, attach: async c =>
            {
                await statuses.StartAsync(c, cancellationToken);
                await ingestor.StartAsync(c, parse.GetValue(FleetCommandOptions.ShareGroup), cancellationToken);
            });

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (runFor != Timeout.InfiniteTimeSpan)
            {
                stop.CancelAfter(runFor);
            }

            var background = Task.WhenAll(ingestor.RunStorageAsync(TimeSpan.FromSeconds(1), stop.Token), connection.KeepConnectedAsync(stop.Token));
            string Broker() => connection.IsConnected ? "connected" : $"reconnecting (attempt {connection.FailedAttempts}: {connection.LastError ?? "no error yet"})";
            MonitorSnapshot Snapshot(string? broker = null) => state.Snapshot(fleet, groupName, time.GetUtcNow(), broker ?? Broker());

            // The one frame printed without --live shows the broker as it was while monitoring, not after the
            // disconnect below (it used to read "reconnecting (attempt 0: )" on every clean run).
            string? brokerAtEnd = null;
            try
            {
                if (live)
                {
                    var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Output) });
                    await console.Live(MonitorRenderer.Render(Snapshot(), thresholds)).StartAsync(async live =>
                    {
                        while (!stop.IsCancellationRequested)
                        {
                            live.UpdateTarget(MonitorRenderer.Render(Snapshot(), thresholds));
                            await Task.Delay(interval, time, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                        }
                    });
                }
                else
                {
                    await Task.Delay(runFor, time, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    brokerAtEnd = Broker();
                }
            }
            finally
            {
                await stop.CancelAsync();
                try
                {
                    await background;
                }
                finally
                {
                    // Everything the broker already handed over (and was acknowledged) is stored before exiting.
                    await connection.StopReceivingAsync();
                    await ingestor.FlushAsync(CancellationToken.None);
                }
            }

            if (!live)
            {
                await context.Output.WriteAsync(asJson
                    ? MonitorJsonWriter.Write(Snapshot(brokerAtEnd), thresholds)
                    : MonitorRenderer.RenderToString(Snapshot(brokerAtEnd), thresholds));
            }

            cancellationToken.ThrowIfCancellationRequested();
            return ExitCodes.Success;
        });
        return command;
    }

    private static double NonNegative(double value, string option) =>
        value >= 0 && double.IsFinite(value) ? value : throw new CliUsageException($"{option} must be a finite number, zero or more; got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
}
