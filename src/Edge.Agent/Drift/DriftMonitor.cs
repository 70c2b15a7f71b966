using System.Threading.Channels;
using Edge.Agent.Ota;
using Edge.Agent.Ota.Slots;
using Edge.Packaging;
using Edge.Protocol;
using Edge.Sdk.Inference;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Drift;

/// <summary>
/// Keeps drift statistics for the served model while its package carries a drift reference: on every load or swap
/// (<see cref="ActiveModel.Changed"/>) it reads the active slot's reference, starts a fresh window and puts a
/// <see cref="DriftTap"/> on the host; a background loop moves sampled calls from the bounded queue into the window.
/// <see cref="Current"/> is the telemetry sample's <c>drift</c> section. One bad sample is logged and skipped.
/// </summary>
internal sealed partial class DriftMonitor : BackgroundService
{
    private readonly DriftOptions _options;
    private readonly ActiveModel _model;
    private readonly Func<string, CancellationToken, Task<(SlotManifest? Manifest, string? Problem)>> _readSlot;
    private readonly ILogger<DriftMonitor> _logger;
    private readonly Channel<DriftSample> _queue;
    private readonly Lock _gate = new();
    private DriftWindow? _window;
    private DriftTap? _tap;
    private IDisposable? _registration;
    private long _generation;

    public DriftMonitor(IOptions<EdgeAgentOptions> options, ActiveModel model, OtaRuntime runtime, ILogger<DriftMonitor> logger)
        : this(options.Value.Drift, model, runtime.Slots.InspectAsync, logger)
    {
    }

    /// <param name="options">The <c>Drift</c> settings.</param>
    /// <param name="model">The served model.</param>
    /// <param name="readSlot">Reads a slot's <c>slot.json</c> (<see cref="SlotStore.InspectAsync"/>).</param>
    /// <param name="logger">Where skipped samples and unreadable references are said.</param>
    internal DriftMonitor(DriftOptions options, ActiveModel model, Func<string, CancellationToken, Task<(SlotManifest? Manifest, string? Problem)>> readSlot, ILogger<DriftMonitor> logger)
    {
        _options = options;
        _model = model;
        _readSlot = readSlot;
        _logger = logger;
        _queue = Channel.CreateBounded<DriftSample>(new BoundedChannelOptions(_options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>The figures of the current window; null while the served package has no reference (or drift is off).</summary>
    public DriftFigures? Current
    {
        get
        {
            lock (_gate)
            {
                return _window?.Figures(_tap!.Sampled, _tap.Dropped);
            }
        }
    }

    /// <summary>Sampled calls the worker has added to the current window (0 without one); for tests and diagnostics.</summary>
    internal long Processed
    {
        get
        {
            lock (_gate)
            {
                return _window?.Added ?? 0;
            }
        }
    }

    /// <summary>
    /// Starts a fresh window for <paramref name="host"/>'s model (the previous window and its tap are dropped), or
    /// stops watching when <paramref name="reference"/> is null.
    /// </summary>
    public void Attach(ModelHost host, string name, string version, PackageDriftReference? reference)
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (_gate)
        {
            _registration?.Dispose();
            (_window, _tap, _registration) = (null, null, null);
            if (reference is null || !_options.Enabled)
            {
                return;
            }

            string inputName;
            using (var lease = host.Acquire())
            {
                inputName = lease.Session.Inputs[0].Name;
            }

            _window = new DriftWindow(reference, name, version, inputName, _options.WindowSamples);
            _tap = new DriftTap(_options.SampleFraction, _window, _queue.Writer);
            _registration = host.AddObserver(_tap);
        }

        LogWatching(_logger, name, version, reference.Samples, _options.WindowSamples);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Enabled)
        {
            _model.Changed += () => _ = ReloadAsync();
            await ReloadAsync();
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var sample in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    sample.Window.Add(sample);
                }
                catch (ArgumentException e)
                {
                    LogSampleFailed(_logger, sample.Window.Model, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    public override void Dispose()
    {
        lock (_gate)
        {
            _registration?.Dispose();
            _registration = null;
        }

        base.Dispose();
    }

    /// <summary>Reads the active slot's reference and attaches; a later change that finished first wins.</summary>
    private async Task ReloadAsync()
    {
        var generation = Interlocked.Increment(ref _generation);
        var (host, slot, name, version) = (_model.Host, _model.Slot, _model.Name, _model.Version);
        if (host is null || slot is null || name is null || version is null)
        {
            return;
        }

        try
        {
            var (manifest, problem) = await _readSlot(slot, CancellationToken.None);
            if (Interlocked.Read(ref _generation) != generation)
            {
                return;
            }

            if (manifest is null)
            {
                LogNoReference(_logger, name, version, problem ?? "no slot manifest");
            }

            Attach(host, name, version, manifest?.DriftReference);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            LogNoReference(_logger, name, version, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Drift: watching {Name} {Version} against its reference of {ReferenceSamples} samples, window {Window}")]
    private static partial void LogWatching(ILogger logger, string name, string version, long referenceSamples, int window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drift: a sample of {Name} was skipped ({Error})")]
    private static partial void LogSampleFailed(ILogger logger, string name, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drift: cannot read the drift reference of {Name} {Version} ({Problem}); drift is not reported for it")]
    private static partial void LogNoReference(ILogger logger, string name, string version, string problem);
}
