using System.Diagnostics;
using Edge.Optimizer.Reports;
using Edge.Quickstart.Devices;
using Edge.Quickstart.Fleet;
using Edge.Quickstart.Optimization;
using Edge.Quickstart.Release;
using Edge.Quickstart.Reporting;
using Edge.Sdk.Inference;
using Edge.Sdk.Processing.Preprocessing;
using Spectre.Console;

namespace Edge.Quickstart;

/// <summary>
/// The whole story, steps 1 to 10 (README.md), on real components: the optimizer's commands, signed packages, real
/// agents in their own processes, edge-fleet's wave engine and monitor. Every figure it prints is measured here.
/// </summary>
internal sealed partial class QuickstartRunner(QuickstartOptions options, IAnsiConsole console)
{
    public const string Fleet = "quickstart";
    private readonly Stopwatch _clock = new();
    private readonly List<DeviceProcess> _devices = [];
    private readonly QuickstartSummary _summary = new();
    private Workspace _workspace = null!;
    private DataSplit _split = null!;
    private PreprocessSpec? _preprocess;
    private ToolRunner _tools = null!;

    public async Task<QuickstartSummary> RunAsync(CancellationToken cancellationToken)
    {
        _clock.Start();
        _workspace = new Workspace(options.OutputDirectory);
        _tools = new ToolRunner(line => Trace(line));
        _split = DataSplit.Create(options);
        _preprocess = options.PreprocessPath is { } spec ? await PreprocessSpec.FromFileAsync(spec, cancellationToken) : null;
        using (var session = EdgeSession.Load(options.ModelPath, ModelComparison.SessionOptions()))
        {
            GoldenSamples.CheckClassifier(session, options.ModelPath);
        }

        console.MarkupLineInterpolated($"[bold]Edge quickstart[/]: {Path.GetFileName(options.ModelPath)} on {_split.Training.Kind.ToString().ToLowerInvariant()} data, {options.Devices} devices{(options.Fast ? ", fast mode" : string.Empty)}; output in {_workspace.Root}");
        console.MarkupLineInterpolated($"[grey]data: training {_split.Training}, calibration {_split.Calibration}, evaluation {_split.Evaluation}, app {_split.App}[/]");

        Step(1, "Start the embedded MQTT broker");
        await using var broker = await LocalBroker.StartAsync();
        await using var watcher = await FleetWatcher.StartAsync(broker.Address, Fleet, cancellationToken);
        Say($"MQTTnet broker on {broker.Address} (loopback only)");

        try
        {
            var optimizer = new ModelOptimizer(options, _workspace, _split, _tools);
            var packages = new PackageBuilder(options, _workspace, _tools);
            var v1 = await OptimizeV1Async(optimizer, cancellationToken);
            var v1Package = await PackV1Async(packages, v1, cancellationToken);
            await StartDevicesAsync(broker, v1Package, cancellationToken);
            await ShowTelemetryAsync(watcher, "1.0.0", cancellationToken);
            var fleet = new FleetDriver(options, _workspace, _tools, broker, Fleet);
            await fleet.AddGroupAsync([.. _devices.Select(d => d.Id)], cancellationToken);
            Step(6, "Fleet monitor (dotnet edge-fleet monitor, one frame)");
            await ShowMonitorAsync(fleet, cancellationToken);
            var models = await RolloutV2Async(optimizer, packages, fleet, watcher, v1, cancellationToken);
            await RolloutV3Async(packages, fleet, watcher, models, cancellationToken);
            await RolloutV3ShadowAsync(packages, fleet, watcher, models, cancellationToken);
            await StopDevicesAsync(cancellationToken);
        }
        finally
        {
            foreach (var device in _devices)
            {
                await device.DisposeAsync();
            }
        }

        _summary.WallSeconds = Math.Round(_clock.Elapsed.TotalSeconds, 1);
        _summary.TelemetryRecords = watcher.TotalRecords;
        _summary.TelemetryCallsByVersion = watcher.CallsByVersion;
        SummaryTable.Write(console, _summary);
        await File.WriteAllTextAsync(_workspace.Summary, ReportJson.Write(_summary.ToJson(options, _workspace)), cancellationToken);
        console.MarkupLineInterpolated($"[grey]summary.json, models, packages, reports and device folders: {_workspace.Root}[/]");
        return _summary;
    }

    private const string V1Label = QuickstartSummary.V1Label;

    private async Task<string> OptimizeV1Async(ModelOptimizer optimizer, CancellationToken cancellationToken)
    {
        Step(2, "Optimize: v1 is the fastest model within a point of top-1 on this machine, never a slower one (dotnet edge-optimize auto)");
        var (v1, chosen, lines) = await optimizer.AutoAsync(options.ModelPath, "v1", cancellationToken);
        foreach (var line in lines.Where(l => l.StartsWith('|') || l.StartsWith("why", StringComparison.Ordinal)))
        {
            Say(line);
        }

        _summary.V1Candidate = chosen;
        Say($"v1 is {chosen}; measuring it beside the original again with the devices' settings");
        var figures = ModelComparison.Measure(
            [("fp32 original", options.ModelPath), (V1Label, v1)], options.ModelPath, _split.Evaluation, _preprocess, options.LatencyRuns, cancellationToken);
        SummaryTable.WriteModels(console, figures, options.LatencyRuns);
        _summary.Models = [.. figures];
        return v1;
    }

    private async Task<string> PackV1Async(PackageBuilder packages, string v1, CancellationToken cancellationToken)
    {
        Step(3, "Pack and sign v1 (dotnet edge-optimize keys, pack, verify)");
        await packages.CreateKeysAsync(cancellationToken);
        var golden = Path.Combine(_workspace.Golden, "v1");
        GoldenSamples.Write(v1, _split.App, _preprocess, golden);
        var figures = _summary.Models.Single(m => m.Path == v1);
        var package = await packages.PackAsync(v1, "1.0.0", golden, null, PackageBuilder.Metrics(figures.Top1, figures.P50Ms, figures.Bytes), cancellationToken);
        Say($"{Path.GetFileName(package)}: {new FileInfo(package).Length:N0} bytes, ECDSA P-256 signature and every file hash verified, {GoldenSamples.Count} golden samples");
        return package;
    }

    private async Task StartDevicesAsync(LocalBroker broker, string package, CancellationToken cancellationToken)
    {
        Step(4, "Start the devices: the real agent plus an app classifying images through the SDK");
        for (var i = 1; i <= options.Devices; i++)
        {
            var id = $"device-{i}";
            var folder = Directory.CreateDirectory(Path.Combine(_workspace.DevicesRoot, id)).FullName;
            var arguments = new DeviceArguments(Fleet, id, broker.Port, package, _workspace.PublicKey, _workspace.OperatorPublicKey, folder, _split.App.ToString(), options.PreprocessPath);
            _devices.Add(DeviceProcess.Start(arguments, options.Verbose ? line => Trace(line) : null));
        }

        foreach (var device in _devices)
        {
            var ready = await device.WaitReadyAsync(TimeSpan.FromSeconds(90), cancellationToken);
            Say($"{device.Id}: agent connected, serving {ready["version"]} from slot {ready["slot"]}, app classifying {ready["images"]} images");
        }
    }

    private async Task ShowTelemetryAsync(FleetWatcher watcher, string version, CancellationToken cancellationToken)
    {
        Step(5, "Telemetry: every device publishes a sample each second (SQLite outbox, QoS 1)");
        var devices = _devices.Select(d => d.Id).ToList();
        await watcher.WaitForAsync(devices, version, 2, TimeSpan.FromSeconds(60), cancellationToken);
        Say($"{watcher.TotalRecords} telemetry records received so far; inference calls reported: {Calls(watcher)}");
    }

    private async Task ShowMonitorAsync(FleetDriver fleet, CancellationToken cancellationToken)
    {
        foreach (var line in await fleet.MonitorFrameAsync(options.Fast ? 2 : 3, cancellationToken))
        {
            // The monitor's frame is already laid out; written as is, not re-wrapped.
            console.Profile.Out.Writer.WriteLine("  " + line);
        }
    }

    private static string Calls(FleetWatcher watcher) =>
        string.Join(", ", watcher.CallsByVersion.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value:N0}"));

    private void Step(int number, string title)
    {
        console.WriteLine();
        console.Write(new Rule($"[bold]{number}. {Markup.Escape(title)}[/] [grey]({_clock.Elapsed.TotalSeconds:0.0} s)[/]").LeftJustified());
    }

    private void Say(string text) => console.MarkupLine("  " + Markup.Escape(text));

    private void Trace(string text)
    {
        if (options.Verbose)
        {
            console.MarkupLine("  [grey]" + Markup.Escape(text) + "[/]");
        }
    }
}
