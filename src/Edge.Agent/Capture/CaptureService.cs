using Edge.Sdk.Inference;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Capture;

/// <summary>
/// Runs capture: opens the folder at start, keeps the sampler registered on the served host while capture is on
/// (also after the first model load; off, the app's calls carry no capture observer at all), writes queued samples to the ring, and answers the fleet's chunk requests. A failing write is
/// logged and the sample lost; the loops never stop for one sample or one request.
/// </summary>
internal sealed partial class CaptureService : BackgroundService
{
    private readonly CaptureRuntime _runtime;
    private readonly ActiveModel _model;
    private readonly CaptureChunkServer _chunks;
    private readonly ILogger<CaptureService> _logger;
    private readonly Lock _lock = new();
    private ModelHost? _observed;
    private IDisposable? _registration;

    public CaptureService(CaptureRuntime runtime, ActiveModel model, CaptureChunkServer chunks, ILogger<CaptureService> logger)
    {
        _runtime = runtime;
        _model = model;
        _chunks = chunks;
        _logger = logger;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _runtime.Open();
        _model.Changed += Observe;
        _runtime.Changed += Observe;
        Observe();
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _model.Changed -= Observe;
        _runtime.Changed -= Observe;
        lock (_lock)
        {
            _registration?.Dispose();
            _registration = null;
        }

        await base.StopAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Task.Run(() => WriteAsync(stoppingToken), CancellationToken.None), Task.Run(() => _chunks.RunAsync(stoppingToken), CancellationToken.None));

    /// <summary>Registers the sampler on the served host while capture is on, and removes it when off; the host is made once and swapped in place.</summary>
    private void Observe()
    {
        lock (_lock)
        {
            var host = _runtime.Settings.Enabled ? _model.Host : null;
            if (!ReferenceEquals(host, _observed))
            {
                _registration?.Dispose();
                _registration = host?.AddObserver(_runtime.Sampler);
                _observed = host;
            }
        }
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var sample in _runtime.Queue.ReadAllAsync(cancellationToken))
            {
                var settings = _runtime.Settings;
                try
                {
                    await _runtime.Ring.AppendAsync(sample with { Sequence = _runtime.Ring.NextSequence() }, settings.MaxSamples, settings.MaxBytes, cancellationToken);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
                {
                    LogWriteFailed(_logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A captured sample could not be written and is lost: {Error}")]
    private static partial void LogWriteFailed(ILogger logger, string error);
}
