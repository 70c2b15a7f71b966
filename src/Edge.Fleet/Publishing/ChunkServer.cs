using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Fleet.Publishing;

/// <summary>
/// Answers devices' chunk requests (<c>edge/{fleet}/+/ota/chunk-request</c>) from package files: each requested chunk
/// goes to the asking device's <c>ota/chunk</c> topic as one binary frame with its SHA-256. Requests are served by
/// one worker so the client's receive loop never waits; the chunks of one request are published concurrently.
/// Counts what it sent, so transfers can be measured (bytes re-sent after a broker restart).
/// </summary>
internal sealed class ChunkServer : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly string _fleet;
    private readonly ConcurrentDictionary<string, ServedPackage> _packages = new(StringComparer.Ordinal);
    private readonly Channel<(string Device, OtaChunkRequest Request)> _requests = Channel.CreateUnbounded<(string, OtaChunkRequest)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private Task? _worker;
    private long _bytesServed;
    private long _chunksServed;

    public ChunkServer(IMqttClient client, string fleet)
    {
        _client = client;
        _fleet = fleet;
    }

    /// <summary>Data bytes sent in chunk frames so far.</summary>
    public long BytesServed => Interlocked.Read(ref _bytesServed);

    public long ChunksServed => Interlocked.Read(ref _chunksServed);

    /// <summary>Optional hook that may rewrite, repeat or reorder the frames of one request before they are sent (tests of bad transfers).</summary>
    public Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>>? FrameFilter { get; set; }

    /// <summary>Serves <paramref name="packagePath"/> for <paramref name="job"/> (matched by job id and package hash).</summary>
    public void Serve(OtaJobDocument job, string packagePath)
    {
        var handle = File.OpenHandle(packagePath, FileMode.Open, FileAccess.Read, FileShare.Read);
        var previous = _packages.GetValueOrDefault(job.JobId);
        _packages[job.JobId] = new ServedPackage(job.Package.Sha256, handle, RandomAccess.GetLength(handle));
        previous?.Handle.Dispose();
    }

    /// <summary>Subscribes to the fleet's chunk requests and starts answering them.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        var filter = OtaTopics.ChunkRequestFilter(_fleet);
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        _worker ??= Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        _client.ApplicationMessageReceivedAsync -= OnMessageAsync;
        await _stop.CancelAsync();
        if (_worker is not null)
        {
            try
            {
                await _worker;
            }
            catch (OperationCanceledException)
            {
            }
        }

        foreach (var package in _packages.Values)
        {
            package.Handle.Dispose();
        }

        _stop.Dispose();
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var topic = args.ApplicationMessage.Topic;
        if (!topic.EndsWith("/ota/chunk-request", StringComparison.Ordinal) || OtaTopics.DeviceOf(topic, _fleet) is not { } device)
        {
            return Task.CompletedTask;
        }

        try
        {
            var reader = new Utf8JsonReader(args.ApplicationMessage.Payload);
            var request = JsonSerializer.Deserialize(ref reader, OtaJsonContext.Default.OtaChunkRequest);
            if (request is not null)
            {
                _requests.Writer.TryWrite((device, request));
            }
        }
        catch (JsonException)
        {
            // A malformed request cannot be answered (no job id); the device times out and asks again.
        }

        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var (device, request) in _requests.Reader.ReadAllAsync(cancellationToken))
        {
            IReadOnlyList<byte[]> frames = Answer(request);
            if (FrameFilter is { } filter)
            {
                frames = filter(frames);
            }

            var topic = OtaTopics.Chunk(_fleet, device);
            await Task.WhenAll(frames.Select(frame => PublishAsync(topic, frame, cancellationToken)));
        }
    }

    private async Task PublishAsync(string topic, byte[] frame, CancellationToken cancellationToken)
    {
        try
        {
            var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(frame).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
            await _client.PublishAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            // Lost with the connection: the device asks again after its chunk timeout.
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // Disposed while a frame awaited its acknowledgement (MQTTnet reports the cancelled wait as a timeout).
        }
    }

    private List<byte[]> Answer(OtaChunkRequest request)
    {
        var frames = new List<byte[]>(request.Chunks.Count);
        if (!_packages.TryGetValue(request.JobId, out var package))
        {
            // Another publisher of the fleet may serve this job (a rollout beside a bench, or several servers): only
            // the one that serves it answers. With none, the device asks again after its chunk timeout.
            return frames;
        }

        if (package.Sha256 != request.PackageSha256)
        {
            frames.AddRange(request.Chunks.Select(i => OtaChunkFrame.EncodeError(request.JobId, i, OtaChunkErrors.UnknownJob, null)));
            return frames;
        }

        if (request.ChunkSize is < OtaJobValidator.MinChunkSize or > OtaJobValidator.MaxChunkSize)
        {
            frames.AddRange(request.Chunks.Select(i => OtaChunkFrame.EncodeError(request.JobId, i, OtaChunkErrors.BadRequest, package.Size)));
            return frames;
        }

        var buffer = new byte[request.ChunkSize];
        foreach (var index in request.Chunks.Take(64))
        {
            var offset = (long)index * request.ChunkSize;
            if (index < 0 || offset >= package.Size)
            {
                frames.Add(OtaChunkFrame.EncodeError(request.JobId, index, OtaChunkErrors.OutOfRange, package.Size));
                continue;
            }

            var length = (int)Math.Min(request.ChunkSize, package.Size - offset);
            var read = RandomAccess.Read(package.Handle, buffer.AsSpan(0, length), offset);
            frames.Add(OtaChunkFrame.Encode(request.JobId, index, offset, buffer.AsSpan(0, read)));
            Interlocked.Add(ref _bytesServed, read);
            Interlocked.Increment(ref _chunksServed);
        }

        return frames;
    }

    private sealed record ServedPackage(string Sha256, SafeFileHandle Handle, long Size);
}
