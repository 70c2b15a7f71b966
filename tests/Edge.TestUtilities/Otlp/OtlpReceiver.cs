using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Edge.TestUtilities.Mqtt;
using Google.Protobuf;

namespace Edge.TestUtilities.Otlp;

/// <summary>
/// A stand-in for an OpenTelemetry collector: an OTLP/HTTP receiver on a free loopback port that accepts
/// <c>POST /v1/metrics</c> and <c>POST /v1/traces</c> (binary protobuf, optionally gzip), answers 200 with an empty
/// export response, and keeps every metric data point and span it decoded.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly ConcurrentQueue<OtlpMetricPoint> _points = new();
    private readonly ConcurrentQueue<OtlpSpan> _spans = new();
    private int _requests;

    private OtlpReceiver(int port)
    {
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The base address to give the exporter, as in <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string Endpoint { get; }

    /// <summary>Export requests received so far, on any path.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public IReadOnlyList<OtlpMetricPoint> Points => [.. _points];

    public IReadOnlyList<OtlpSpan> Spans => [.. _spans];

    public static OtlpReceiver Start() => new(FreePort.Next());

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
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

            Interlocked.Increment(ref _requests);
            using var body = new MemoryStream();
            var input = context.Request.Headers["Content-Encoding"] == "gzip" ? new GZipStream(context.Request.InputStream, CompressionMode.Decompress) : context.Request.InputStream;
            await input.CopyToAsync(body);
            var request = new ProtoMessage(ByteString.CopyFrom(body.ToArray()));
            var path = context.Request.Url?.AbsolutePath;
            context.Response.StatusCode = path is "/v1/metrics" or "/v1/traces" ? 200 : 404;
            if (path == "/v1/metrics")
            {
                ReadMetrics(request);
            }
            else if (path == "/v1/traces")
            {
                ReadSpans(request);
            }

            context.Response.ContentType = "application/x-protobuf";
            context.Response.ContentLength64 = 0;
            context.Response.Close();
        }
    }

    // ExportMetricsServiceRequest.resource_metrics = 1; ResourceMetrics: resource = 1, scope_metrics = 2;
    // ScopeMetrics: scope = 1, metrics = 2; Metric: name = 1, unit = 3, gauge = 5, sum = 7, histogram = 9.
    private void ReadMetrics(ProtoMessage request)
    {
        foreach (var resourceMetrics in request.Messages(1))
        {
            var resource = resourceMetrics.Message(1)?.Attributes(1) ?? [];
            foreach (var scopeMetrics in resourceMetrics.Messages(2))
            {
                var scope = scopeMetrics.Message(1)?.Text(1) ?? string.Empty;
                foreach (var metric in scopeMetrics.Messages(2))
                {
                    var name = metric.Text(1) ?? string.Empty;
                    var unit = metric.Text(3) ?? string.Empty;
                    // Gauge and Sum: data_points = 1 of NumberDataPoint (attributes = 7, as_double = 4, as_int = 6).
                    foreach (var point in (metric.Message(5) ?? metric.Message(7))?.Messages(1) ?? [])
                    {
                        var value = point.Real(4) ?? (point.Number(6) is { } integer ? (long)integer : 0);
                        _points.Enqueue(new(resource, scope, name, unit, value, point.Attributes(7)));
                    }

                    // Histogram: data_points = 1 of HistogramDataPoint (attributes = 9, count = 4, sum = 5); the value kept is the count.
                    foreach (var point in metric.Message(9)?.Messages(1) ?? [])
                    {
                        _points.Enqueue(new(resource, scope, name, unit, point.Number(4) ?? 0, point.Attributes(9)));
                    }
                }
            }
        }
    }

    // ExportTraceServiceRequest.resource_spans = 1; ResourceSpans: resource = 1, scope_spans = 2; ScopeSpans: scope = 1,
    // spans = 2; Span: name = 5, attributes = 9, status = 15 (Status.code = 3: 0 unset, 1 ok, 2 error).
    private void ReadSpans(ProtoMessage request)
    {
        foreach (var resourceSpans in request.Messages(1))
        {
            var resource = resourceSpans.Message(1)?.Attributes(1) ?? [];
            foreach (var scopeSpans in resourceSpans.Messages(2))
            {
                var scope = scopeSpans.Message(1)?.Text(1) ?? string.Empty;
                foreach (var span in scopeSpans.Messages(2))
                {
                    _spans.Enqueue(new(resource, scope, span.Text(5) ?? string.Empty, span.Attributes(9), (int)(span.Message(15)?.Number(3) ?? 0)));
                }
            }
        }
    }
}
