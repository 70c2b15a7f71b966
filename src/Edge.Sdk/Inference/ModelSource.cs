using System.Globalization;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Sdk.Inference;

/// <summary>Where a model comes from: a file (so ONNX Runtime can resolve external data beside it) or bytes.</summary>
internal sealed class ModelSource
{
    private byte[]? sha256;

    private ModelSource(string? path, byte[]? bytes, string description)
    {
        FilePath = path;
        Bytes = bytes;
        Description = description;
    }

    public string? FilePath { get; }

    public byte[]? Bytes { get; }

    /// <summary>The file path, or "in-memory model (N bytes)"; used in messages.</summary>
    public string Description { get; }

    public string DefaultName => FilePath is null ? "model" : Path.GetFileNameWithoutExtension(FilePath);

    public static ModelSource FromFile(string path) => new(Path.GetFullPath(path), null, Path.GetFullPath(path));

    public static ModelSource FromBytes(byte[] bytes) =>
        new(null, bytes, string.Create(CultureInfo.InvariantCulture, $"in-memory model ({bytes.Length} bytes)"));

    /// <summary>SHA-256 of the model bytes, computed once and only when the TensorRT engine cache needs it.</summary>
    public byte[] Sha256()
    {
        if (sha256 is null)
        {
            if (Bytes is not null)
            {
                sha256 = SHA256.HashData(Bytes);
            }
            else
            {
                using var stream = File.OpenRead(FilePath!);
                sha256 = SHA256.HashData(stream);
            }
        }

        return sha256;
    }

    public InferenceSession CreateSession(SessionOptions options) =>
        FilePath is not null ? new InferenceSession(FilePath, options) : new InferenceSession(Bytes!, options);
}
