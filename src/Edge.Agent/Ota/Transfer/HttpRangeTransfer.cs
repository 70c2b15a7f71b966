using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Ota.Transfer;

/// <summary>
/// Fetches a package with HTTP(S) GET and <c>Range: bytes={first missing chunk}-</c>, so a dropped connection or an
/// agent restart resumes where the held chunks end. A chunk counts as held only once all its bytes are written. A
/// server that ignores Range (200) is read from the start, skipping held chunks; a server whose file is shorter than
/// the job's size fails the job as a truncated transfer.
/// </summary>
internal sealed partial class HttpRangeTransfer : IDisposable
{
    private const int MaxAttemptsWithoutProgress = 8;
    private const int ReadBlock = 64 * 1024;
    private readonly HttpClient _client;
    private readonly ILogger<HttpRangeTransfer> _logger;

    public HttpRangeTransfer(ILogger<HttpRangeTransfer> logger)
    {
        _logger = logger;
        _client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task RunAsync(TransferSession session, Uri url, CancellationToken cancellationToken)
    {
        var file = session.File;
        var failures = 0;
        while (!file.IsComplete)
        {
            session.CheckDeadline();
            var before = file.BytesHeld;
            try
            {
                await FetchFromFirstMissingAsync(session, url, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                LogAttemptFailed(_logger, session.Job.JobId, e.Message);
                failures = file.BytesHeld > before ? 0 : failures + 1;
                if (failures >= MaxAttemptsWithoutProgress)
                {
                    throw OtaJobException.Fail($"download from {url} failed {failures} times in a row without progress: {e.Message}", e);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200 * failures), session.Time, cancellationToken);
            }

            await session.TickAsync(force: false, cancellationToken);
        }

        await session.TickAsync(force: true, cancellationToken);
    }

    public void Dispose() => _client.Dispose();

    private async Task FetchFromFirstMissingAsync(TransferSession session, Uri url, CancellationToken cancellationToken)
    {
        var file = session.File;
        var first = file.Missing().First();
        var offset = file.ChunkOffset(first);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(offset, file.Size - 1);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            throw OtaJobException.Fail($"truncated transfer: {url} has {response.Content.Headers.ContentRange?.Length?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "fewer"} bytes, the job declares {file.Size} (range from {offset} not satisfiable)");
        }

        response.EnsureSuccessStatusCode();
        long start;
        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            var range = response.Content.Headers.ContentRange;
            if (range?.From is not { } from || from != offset)
            {
                throw new HttpRequestException($"{url} answered range {range} for a request starting at {offset}.");
            }

            if (range.Length is { } total && total != file.Size)
            {
                throw OtaJobException.Fail($"truncated transfer: {url} has {total} bytes, the job declares {file.Size}");
            }

            start = offset;
        }
        else
        {
            if (response.Content.Headers.ContentLength is { } length && length != file.Size)
            {
                throw OtaJobException.Fail($"truncated transfer: {url} has {length} bytes, the job declares {file.Size}");
            }

            start = 0;
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await CopyChunksAsync(session, body, start, url, cancellationToken);
    }

    private static async Task CopyChunksAsync(TransferSession session, Stream body, long start, Uri url, CancellationToken cancellationToken)
    {
        var file = session.File;
        var index = (int)(start / file.ChunkSize);
        var buffer = new byte[file.ChunkSize];
        while (index < file.ChunkCount)
        {
            var length = file.ChunkLength(index);
            var filled = 0;
            while (filled < length)
            {
                var block = Math.Min(ReadBlock, length - filled);
                await session.AcquireAsync(block, cancellationToken);
                var read = await body.ReadAsync(buffer.AsMemory(filled, block), cancellationToken);
                if (read == 0)
                {
                    throw new IOException($"{url} ended the response at byte {file.ChunkOffset(index) + filled} of {file.Size}.");
                }

                filled += read;
                session.BytesTransferred += read;
            }

            if (!await file.WriteChunkAsync(index, buffer.AsMemory(0, length), cancellationToken))
            {
                session.DuplicateChunks++;
            }

            index++;
            await session.TickAsync(force: false, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA job {JobId}: download attempt failed, resuming: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string jobId, string error);
}
