namespace Edge.Agent.Tests.Ota.Support;

/// <summary>Live traffic: one thread calling the served model in a loop, counting calls and failures, as an app would during a swap.</summary>
internal sealed class InferenceTraffic : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _calls;
    private long _failures;
    private string? _firstFailure;

    public InferenceTraffic(ActiveModel model, float firstPixel = 0)
    {
        _thread = new Thread(() =>
        {
            var input = new float[784];
            input[0] = firstPixel;
            var output = new float[10];
            while (!_stop)
            {
                try
                {
                    model.Host!.Run<float, float>(input, output);
                    Interlocked.Increment(ref _calls);
                }
                catch (Exception e)
                {
                    _firstFailure ??= e.ToString();
                    Interlocked.Increment(ref _failures);
                }
            }
        })
        { IsBackground = true, Name = "ota-test-traffic" };
        _thread.Start();
    }

    public string? FirstFailure => _firstFailure;

    public long Calls => Interlocked.Read(ref _calls);

    public long Failures => Interlocked.Read(ref _failures);

    public async Task<(long Calls, long Failures)> StopAsync()
    {
        _stop = true;
        await Task.Run(() => _thread.Join());
        return (Interlocked.Read(ref _calls), Interlocked.Read(ref _failures));
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
