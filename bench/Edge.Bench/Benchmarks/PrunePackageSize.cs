using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Edge.Optimizer.Packaging;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// Package size of an original and a pruned model, both packed by the project's own packer
/// (<see cref="ModelPackager"/>, signed, same name, version and target). An <c>.edgepkg</c> is an uncompressed tar
/// (docs/package-format.md), so the compressed figure is that whole file gzipped, as a download with HTTP
/// <c>Content-Encoding: gzip</c> carries it, at the default level (6) and at the highest (9).
/// </summary>
internal static class PrunePackageSize
{
    public static async Task<JsonObject> MeasureAsync(string originalPath, string prunedPath, string folder, CancellationToken cancellationToken)
    {
        var keyPath = Path.Combine(folder, "bench-signing.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem(), cancellationToken);
        }

        var original = await PackAsync(originalPath, Path.Combine(folder, "original.edgepkg"), keyPath, cancellationToken);
        var pruned = await PackAsync(prunedPath, Path.Combine(folder, "pruned.edgepkg"), keyPath, cancellationToken);
        var originalDefault = await GzipBytesAsync(original, CompressionLevel.Optimal, cancellationToken);
        var prunedDefault = await GzipBytesAsync(pruned, CompressionLevel.Optimal, cancellationToken);
        var originalBest = await GzipBytesAsync(original, CompressionLevel.SmallestSize, cancellationToken);
        var prunedBest = await GzipBytesAsync(pruned, CompressionLevel.SmallestSize, cancellationToken);
        return new JsonObject
        {
            ["original_package_bytes"] = new FileInfo(original).Length,
            ["pruned_package_bytes"] = new FileInfo(pruned).Length,
            ["original_package_gzip6_bytes"] = originalDefault,
            ["pruned_package_gzip6_bytes"] = prunedDefault,
            ["original_package_gzip9_bytes"] = originalBest,
            ["pruned_package_gzip9_bytes"] = prunedBest,
            ["package_gzip6_ratio"] = (double)prunedDefault / originalDefault,
            ["package_gzip9_ratio"] = (double)prunedBest / originalBest,
        };
    }

    private static async Task<string> PackAsync(string modelPath, string outputPath, string keyPath, CancellationToken cancellationToken)
    {
        var options = new PackagerOptions
        {
            ModelPath = modelPath,
            Name = "prune-bench",
            Version = "1.0.0",
            Targets = ["linux-x64"],
            KeyPaths = [keyPath],
            OutputPath = outputPath,
        };
        await ModelPackager.PackAsync(options, TimeProvider.System, cancellationToken);
        return outputPath;
    }

    private static async Task<long> GzipBytesAsync(string path, CompressionLevel level, CancellationToken cancellationToken)
    {
        var counter = new CountingStream();
        await using (var input = File.OpenRead(path))
        await using (var gzip = new GZipStream(counter, level, leaveOpen: true))
        {
            await input.CopyToAsync(gzip, cancellationToken);
        }

        return counter.Length;
    }

    /// <summary>A write-only sink that only counts bytes, so the compressed copy is never held in memory.</summary>
    private sealed class CountingStream : Stream
    {
        private long written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => written;

        public override long Position { get => written; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => written += count;

        public override void Write(ReadOnlySpan<byte> buffer) => written += buffer.Length;

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            written += count;
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            written += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
