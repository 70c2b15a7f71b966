using System.Diagnostics;
using System.Text.Json.Nodes;
using Edge.Agent;
using Edge.Sdk.Inference;

namespace Edge.Quickstart.Devices;

/// <summary>
/// The device app: a thread that classifies real images through the agent's live <see cref="ModelHost"/>, about
/// 200 calls a second, and counts per served version calls, correct answers and failures. When the served version
/// changes (an OTA hot swap) it reports, one second later, every call made in the second before and after the switch:
/// how many, how many failed, and the slowest.
/// </summary>
internal sealed class InferenceLoop(ActiveModel model, ModelHost host, IReadOnlyList<(float[] Input, int Label)> samples, int outputLength, Action<JsonObject> emit)
{
    private static readonly TimeSpan SwapWindow = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, VersionStats> _stats = new(StringComparer.Ordinal);
    private readonly Queue<(long At, double Ms, bool Failed)> _recent = new();
    private Thread? _thread;
    private volatile bool _stop;

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "quickstart-app" };
        _thread.Start();
    }

    public JsonObject Stop()
    {
        _stop = true;
        _thread?.Join();
        var versions = new JsonArray();
        foreach (var (version, stats) in _stats)
        {
            versions.Add(new JsonObject
            {
                ["version"] = version,
                ["calls"] = stats.Calls,
                ["correct"] = stats.Correct,
                ["failed"] = stats.Failed,
                ["p50_ms"] = Math.Round(Percentile(stats.Milliseconds, 0.5), 4),
            });
        }

        return new JsonObject { ["event"] = DeviceEvents.Final, ["served"] = model.Version, ["versions"] = versions };
    }

    private void Run()
    {
        var output = new float[outputLength];
        string? previous = null;
        (long At, string From, string To)? pendingSwap = null;
        for (var i = 0; !_stop; i++)
        {
            var (input, label) = samples[i % samples.Count];
            var version = model.Version ?? "none";
            var started = Stopwatch.GetTimestamp();
            var failed = false;
            try
            {
                host.Run<float, float>(input, output);
            }
#pragma warning disable CA1031 // A failed call is what the app counts; it must keep serving.
            catch (Exception)
#pragma warning restore CA1031
            {
                failed = true;
            }

            var now = Stopwatch.GetTimestamp();
            var milliseconds = Stopwatch.GetElapsedTime(started, now).TotalMilliseconds;
            Record(version, failed, !failed && ArgMax(output) == label, milliseconds);
            _recent.Enqueue((started, milliseconds, failed));
            while (_recent.Count > 0 && Stopwatch.GetElapsedTime(_recent.Peek().At, now) > SwapWindow * 3)
            {
                _recent.Dequeue();
            }

            if (previous is not null && version != previous)
            {
                pendingSwap = (now, previous, version);
            }

            if (pendingSwap is { } swap && Stopwatch.GetElapsedTime(swap.At, now) >= SwapWindow)
            {
                emit(SwapReport(swap.At, swap.From, swap.To));
                pendingSwap = null;
            }

            previous = version;
            Thread.Sleep(5);
        }
    }

    private JsonObject SwapReport(long switchedAt, string from, string to)
    {
        var window = _recent.Where(c => Math.Abs(Stopwatch.GetElapsedTime(switchedAt, c.At).TotalSeconds) <= SwapWindow.TotalSeconds).ToList();
        return new JsonObject
        {
            ["event"] = DeviceEvents.Swap,
            ["from"] = from,
            ["to"] = to,
            ["window_calls"] = window.Count,
            ["window_failed"] = window.Count(c => c.Failed),
            ["window_max_ms"] = Math.Round(window.Count == 0 ? 0 : window.Max(c => c.Ms), 3),
            ["steady_p50_ms"] = Math.Round(_stats.TryGetValue(from, out var before) ? Percentile(before.Milliseconds, 0.5) : 0, 4),
        };
    }

    private void Record(string version, bool failed, bool correct, double milliseconds)
    {
        if (!_stats.TryGetValue(version, out var stats))
        {
            _stats[version] = stats = new VersionStats();
        }

        stats.Calls++;
        stats.Failed += failed ? 1 : 0;
        stats.Correct += correct ? 1 : 0;
        stats.Milliseconds.Add(milliseconds);
    }

    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static double Percentile(List<double> values, double fraction)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private sealed class VersionStats
    {
        public long Calls { get; set; }

        public long Correct { get; set; }

        public long Failed { get; set; }

        public List<double> Milliseconds { get; } = [];
    }
}
