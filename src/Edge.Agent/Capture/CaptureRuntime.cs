using System.Text.Json;
using System.Threading.Channels;
using Edge.Protocol.Capture;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Capture;

/// <summary>
/// The capture state shared by the service, the commands and the chunk server: the settings in force (kept in
/// <c>settings.json</c> once the fleet changed them), the sampler and its queue, the ring and the snapshots. The
/// folder is made only once capture is used.
/// </summary>
internal sealed class CaptureRuntime : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Channel<CaptureSample> _queue;
    private CaptureRing? _ring;
    private CaptureSnapshots? _snapshots;

    public CaptureRuntime(IOptions<EdgeAgentOptions> options, TimeProvider time)
    {
        var capture = options.Value.Capture;
        Folder = capture.Directory ?? Path.Combine(AgentStateDirectory.Resolve(), "capture");
        _queue = Channel.CreateBounded<CaptureSample>(new BoundedChannelOptions(capture.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        Sampler = new CaptureSampler(CaptureSettings.From(capture), capture.MaxRawFrameBytes, _queue.Writer, time);
    }

    public string Folder { get; }

    /// <summary>Raised after <see cref="ChangeAsync"/> applied new settings.</summary>
    public event Action? Changed;

    public CaptureSampler Sampler { get; }

    public CaptureSettings Settings => Sampler.Settings;

    public ChannelReader<CaptureSample> Queue => _queue.Reader;

    /// <summary>The ring; its folder is made on first use, so an agent that never captures leaves no folder behind.</summary>
    public CaptureRing Ring
    {
        get
        {
            EnsureOpen();
            return _ring!;
        }
    }

    public CaptureSnapshots Snapshots
    {
        get
        {
            EnsureOpen();
            return _snapshots!;
        }
    }

    public void Dispose() => _snapshots?.Dispose();

    private string SettingsPath => Path.Combine(Folder, "settings.json");

    /// <summary>
    /// Reads the fleet's saved settings (a damaged file is ignored: the section's settings apply) and, when capture is
    /// on or its folder exists, opens the ring and the snapshots (checking every sample file).
    /// </summary>
    public void Open()
    {
        if (File.Exists(SettingsPath))
        {
            try
            {
                if (JsonSerializer.Deserialize(File.ReadAllBytes(SettingsPath), CaptureJsonContext.Default.CaptureSettings) is { } saved
                    && CaptureSettings.Errors(saved.SampleFraction, saved.MaxSamples, saved.MaxBytes, "").Count == 0)
                {
                    Sampler.Settings = saved;
                }
            }
            catch (JsonException)
            {
            }
        }

        if (Settings.Enabled || Directory.Exists(Folder))
        {
            EnsureOpen();
        }
    }

    private void EnsureOpen()
    {
        lock (_lock)
        {
            if (_ring is not null)
            {
                return;
            }

            CaptureFiles.EnsureFolder(Folder);
            var ring = CaptureRing.Open(Path.Combine(Folder, "ring"));
            _snapshots = new CaptureSnapshots(Path.Combine(Folder, "snapshots"));
            ring.Trim(Settings.MaxSamples, Settings.MaxBytes);
            _ring = ring;
        }
    }

    /// <summary>Applies and saves new settings (from <c>capture-config</c>); the ring is trimmed to new bounds at once.</summary>
    public async Task<CaptureSettings> ChangeAsync(CaptureSettings settings, CancellationToken cancellationToken)
    {
        EnsureOpen();
        Sampler.Settings = settings;
        await CaptureFiles.WriteAtomicAsync(SettingsPath, JsonSerializer.SerializeToUtf8Bytes(settings, CaptureJsonContext.Default.CaptureSettings), cancellationToken);
        Ring.Trim(settings.MaxSamples, settings.MaxBytes);
        Changed?.Invoke();
        return settings;
    }
}
