using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Edge.Agent.Tests.Ota.Support;
using Edge.Bench.Harness;
using Edge.Protocol.Ota;
using Edge.TestUtilities.Mqtt;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// OTA transfer throughput for a 50 MB package on loopback, in one child: a file copy (read, write, fsync, SHA-256
/// of the copy) as the baseline, then an OTA job over MQTT chunks (Mosquitto, 256 KiB chunks, window 8) and one over
/// HTTP Range (HttpListener), each timed from the job's publication to the device's <c>verifying</c> report (the
/// download is complete and its SHA-256 checked), which covers the same work as the baseline plus the transport.
/// </summary>
internal sealed class OtaTransferBenchmark : IBenchmark
{
    public string Name => "ota-transfer";

    public string Description => "OTA download of a 50 MB package over MQTT chunks and HTTP Range on loopback vs copying the file (with fsync and SHA-256)";

    public Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken) =>
        context.RunChildAsync(this, [context.Quick ? "10" : "50"], cancellationToken);

    public JsonObject RunChild(IReadOnlyList<string> arguments) => RunAsync(int.Parse(arguments[0], System.Globalization.CultureInfo.InvariantCulture)).GetAwaiter().GetResult();

    private static async Task<JsonObject> RunAsync(int megabytes)
    {
        using var packages = new OtaPackages();
        var v1 = await packages.BuildAsync("1.0.0", rounds: 0);
        var mqttPackage = await packages.BuildAsync("2.0.0", rounds: 0, paddingBytes: megabytes * 1024L * 1024);
        var httpPackage = await packages.BuildAsync("3.0.0", rounds: 0, paddingBytes: megabytes * 1024L * 1024);
        var size = new FileInfo(mqttPackage).Length;

        // Warm the page cache and the hashing code the same way for every path.
        await HashAsync(mqttPackage);
        await HashAsync(httpPackage);
        var copyMs = await CopyAsync(mqttPackage, Path.Combine(packages.Root, "copy.bin"));

        await using var bench = await OtaBenchSupport.StartAsync(v1, packages.PublicKeyPath, packages.Root);
        var gate = new OtaHealthGate { LatencyRuns = 20, WatchWindowSeconds = 0 };
        var (mqttJob, mqttClock) = await bench.DeployAsync(mqttPackage, new OtaTransfer { ChunkSize = 256 * 1024 }, gate);
        var mqttMs = await bench.WaitForStateMsAsync(mqttJob.JobId, OtaJobStates.Verifying, mqttClock);
        var mqttFinal = await bench.WaitTerminalAsync(mqttJob.JobId);

        using var server = new HttpListener();
        var port = FreePort.Next();
        server.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.Start();
        var serving = ServeAsync(server, httpPackage);
        var (httpJob, httpClock) = await bench.DeployAsync(httpPackage, new OtaTransfer { Method = OtaTransferMethods.Http, Url = $"http://127.0.0.1:{port}/p.edgepkg", ChunkSize = 256 * 1024 }, gate);
        var httpMs = await bench.WaitForStateMsAsync(httpJob.JobId, OtaJobStates.Verifying, httpClock);
        var httpFinal = await bench.WaitTerminalAsync(httpJob.JobId);
        server.Stop();
        await serving;

        return new JsonObject
        {
            ["package_bytes"] = size,
            ["runs"] = 1,
            ["copy_fsync_sha256_ms"] = Math.Round(copyMs, 1),
            ["mqtt_job_to_downloaded_ms"] = Math.Round(mqttMs, 1),
            ["http_job_to_downloaded_ms"] = Math.Round(httpMs, 1),
            ["copy_mb_per_s"] = Math.Round(size / 1e6 / (copyMs / 1000), 1),
            ["mqtt_mb_per_s"] = Math.Round(size / 1e6 / (mqttMs / 1000), 1),
            ["http_mb_per_s"] = Math.Round(size / 1e6 / (httpMs / 1000), 1),
            ["mqtt_over_copy"] = Math.Round(mqttMs / copyMs, 2),
            ["http_over_copy"] = Math.Round(httpMs / copyMs, 2),
            ["mqtt_bytes_served"] = bench.Chunks.BytesServed - size,
            ["mqtt_job_result"] = mqttFinal.State,
            ["http_job_result"] = httpFinal.State,
        };
    }

    private static async Task<double> CopyAsync(string source, string destination)
    {
        var clock = Stopwatch.StartNew();
        await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1024 * 1024, useAsync: true))
        await using (var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 1024 * 1024, useAsync: true))
        {
            await input.CopyToAsync(output);
            output.Flush(flushToDisk: true);
        }

        await HashAsync(destination);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task HashAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1024 * 1024, useAsync: true);
        _ = await SHA256.HashDataAsync(stream);
    }

    private static async Task ServeAsync(HttpListener server, string file)
    {
        while (server.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await server.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var length = new FileInfo(file).Length;
            var from = 0L;
            if (context.Request.Headers["Range"] is { } range && range.StartsWith("bytes=", StringComparison.Ordinal))
            {
                from = long.Parse(range["bytes=".Length..].Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
                context.Response.StatusCode = 206;
                context.Response.Headers["Content-Range"] = $"bytes {from}-{length - 1}/{length}";
            }

            context.Response.ContentLength64 = length - from;
            await using (var input = File.OpenRead(file))
            {
                input.Position = from;
                await input.CopyToAsync(context.Response.OutputStream);
            }

            context.Response.Close();
        }
    }
}
