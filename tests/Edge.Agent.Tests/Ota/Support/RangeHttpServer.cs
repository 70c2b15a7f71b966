using System.Globalization;
using System.Net;
using Edge.TestUtilities.Mqtt;

namespace Edge.Agent.Tests.Ota.Support;

/// <summary>
/// A tiny HTTP file server on 127.0.0.1 (System.Net.HttpListener) that honours <c>Range: bytes=N-M</c> with 206 and
/// Content-Range, records every request's range, counts the bytes it sent, and can cut the first response short
/// (closing the connection) to simulate a dropped download.
/// </summary>
internal sealed class RangeHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _file;
    private readonly Task _loop;
    private long _bytesSent;
    private int _cutsLeft;

    public RangeHttpServer(string file, long cutFirstResponseAfterBytes = 0)
    {
        _file = file;
        CutAfterBytes = cutFirstResponseAfterBytes;
        _cutsLeft = cutFirstResponseAfterBytes > 0 ? 1 : 0;
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/package.edgepkg");

    public long CutAfterBytes { get; }

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public List<string> Ranges { get; } = [];

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task LoopAsync()
    {
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

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var length = new FileInfo(_file).Length;
            long from = 0;
            var to = length - 1;
            var header = context.Request.Headers["Range"];
            lock (Ranges)
            {
                Ranges.Add(header ?? "(none)");
            }

            if (header is not null && header.StartsWith("bytes=", StringComparison.Ordinal))
            {
                var parts = header["bytes=".Length..].Split('-');
                from = long.Parse(parts[0], CultureInfo.InvariantCulture);
                if (parts[1].Length > 0)
                {
                    to = Math.Min(to, long.Parse(parts[1], CultureInfo.InvariantCulture));
                }

                if (from >= length)
                {
                    response.StatusCode = 416;
                    response.Headers["Content-Range"] = $"bytes */{length}";
                    response.Close();
                    return;
                }

                response.StatusCode = 206;
                response.Headers["Content-Range"] = $"bytes {from}-{to}/{length}";
            }

            var count = to - from + 1;
            response.ContentLength64 = count;
            var cut = Interlocked.Exchange(ref _cutsLeft, 0) == 1 ? CutAfterBytes : long.MaxValue;
            await using var file = File.OpenRead(_file);
            file.Position = from;
            var buffer = new byte[64 * 1024];
            long sent = 0;
            while (sent < count)
            {
                var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - sent)));
                if (sent + read > cut)
                {
                    read = (int)(cut - sent);
                    await response.OutputStream.WriteAsync(buffer.AsMemory(0, read));
                    Interlocked.Add(ref _bytesSent, read);
                    response.Abort(); // drop the connection mid-body
                    return;
                }

                await response.OutputStream.WriteAsync(buffer.AsMemory(0, read));
                Interlocked.Add(ref _bytesSent, read);
                sent += read;
            }

            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            response.Abort();
        }
    }
}
