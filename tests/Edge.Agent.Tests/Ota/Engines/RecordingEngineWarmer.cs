using System.Diagnostics;
using Edge.Agent.Ota.Engines;
using Edge.Sdk.Inference;

namespace Edge.Agent.Tests.Ota.Engines;

/// <summary>
/// Stands in for the TensorRT provider where there is no GPU: it says the provider builds engines (or asks the real
/// <see cref="TensorRtEngineWarmer"/> when given one), records every call with the served version at that moment,
/// spends <see cref="BuildTime"/> writing an "engine" file into the cache folder, and throws when told to fail.
/// </summary>
internal sealed class RecordingEngineWarmer : IEngineWarmer
{
    public const string EngineFile = "model.engine";
    private readonly IEngineWarmer? _real;
    private readonly Lock _lock = new();
    private readonly List<WarmCall> _calls = [];
    private int _applies;

    /// <param name="real">The real warmer to ask and delegate to; null to play a TensorRT device.</param>
    public RecordingEngineWarmer(IEngineWarmer? real = null)
    {
        _real = real;
    }

    public TimeSpan BuildTime { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>When set, the next build fails with this message (once).</summary>
    public string? FailNextWith { get; set; }

    /// <summary>The version the agent serves, read at each build (set once the agent runs).</summary>
    public Func<string?> ServedVersion { get; set; } = () => null;

    public int AppliesCalls => Volatile.Read(ref _applies);

    public IReadOnlyList<WarmCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public bool Applies(EdgeSessionOptions options)
    {
        Interlocked.Increment(ref _applies);
        return _real?.Applies(options) ?? true;
    }

    public void Warm(string modelPath, EdgeSessionOptions options, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _calls.Add(new WarmCall(modelPath, options.TensorRt.EngineCacheDirectory, ServedVersion()));
        }

        if (_real is not null)
        {
            _real.Warm(modelPath, options, cancellationToken);
            return;
        }

        var started = Stopwatch.StartNew();
        File.WriteAllBytes(Path.Combine(options.TensorRt.EngineCacheDirectory!, EngineFile), [1, 2, 3]);
        if (FailNextWith is { } message)
        {
            FailNextWith = null;
            throw new ModelLoadException(modelPath, message);
        }

        // Thread.Sleep truncates to whole milliseconds: sleep until the full build time has really passed.
        while (started.Elapsed < BuildTime)
        {
            Thread.Sleep(1);
        }
    }

    /// <summary>One build: the model, the cache folder it was built into, and the version served meanwhile.</summary>
    public sealed record WarmCall(string ModelPath, string? CacheDirectory, string? ServedVersion);
}
