using System.Collections.Concurrent;
using System.Net;
using Edge.TestUtilities.Mqtt;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// A local OTLP/HTTP endpoint for the benchmarks: accepts every POST, answers 200 with an empty export response,
/// and counts requests and body bytes per path (<c>/v1/metrics</c>, <c>/v1/traces</c>). It does not decode them.
/// </summary>
internal sealed class OtlpSink : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, (long Requests, long Bytes)> _paths = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public OtlpSink()
    {
        Endpoint = $"http://127.0.0.1:{FreePort.Next()}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Endpoint { get; }

    public (long Requests, long Bytes) For(string path) => _paths.GetValueOrDefault(path);

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        var buffer = new byte[64 * 1024];
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            long bytes = 0;
            int read;
            while ((read = await context.Request.InputStream.ReadAsync(buffer)) > 0)
            {
                bytes += read;
            }

            _paths.AddOrUpdate(context.Request.Url?.AbsolutePath ?? "?", (1, bytes), (_, total) => (total.Requests + 1, total.Bytes + bytes));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.ContentLength64 = 0;
            context.Response.Close();
        }
    }
}
