using System.IO.Compression;
using Edge.Onnx;

namespace Edge.Optimizer.Passes.Prune;

/// <summary>A model's serialized size and its gzip size (how a download or a compressed package carries it).</summary>
internal sealed record ModelSize(long Bytes, long CompressedBytes)
{
    public static async Task<ModelSize> MeasureAsync(OnnxModel model, CancellationToken cancellationToken)
    {
        using var raw = new MemoryStream();
        await model.SaveAsync(raw, cancellationToken);
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            raw.Position = 0;
            await raw.CopyToAsync(gzip, cancellationToken);
        }

        return new ModelSize(raw.Length, compressed.Length);
    }
}
