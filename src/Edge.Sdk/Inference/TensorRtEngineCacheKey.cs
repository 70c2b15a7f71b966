using System.Globalization;
using System.Security.Cryptography;

namespace Edge.Sdk.Inference;

/// <summary>
/// Names the engine-cache subfolder for one (GPU architecture, TensorRT version, model) combination. TensorRT
/// engines are specific to all three, so a cache shared across devices or upgrades must never hand one back for
/// another: the key is <c>sm{major}{minor}_trt{version}_{first 16 hex digits of the model's SHA-256}</c>.
/// </summary>
internal static class TensorRtEngineCacheKey
{
    public static string Compute(int computeMajor, int computeMinor, string tensorRtVersion, ReadOnlySpan<byte> modelSha256)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(computeMajor);
        ArgumentOutOfRangeException.ThrowIfNegative(computeMinor);
        ArgumentException.ThrowIfNullOrWhiteSpace(tensorRtVersion);
        if (modelSha256.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"Model hash must be {SHA256.HashSizeInBytes} bytes (SHA-256), but was {modelSha256.Length}.", nameof(modelSha256));
        }

        var hash = Convert.ToHexStringLower(modelSha256)[..16];
        return string.Create(CultureInfo.InvariantCulture, $"sm{computeMajor}{computeMinor}_trt{tensorRtVersion}_{hash}");
    }

    /// <summary>Turns <c>getInferLibVersion()</c> into "major.minor.patch": TensorRT 10+ encodes M*10000+m*100+p, older ones M*1000+m*100+p.</summary>
    public static string DecodeTensorRtVersion(int encoded)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(encoded);
        var (major, rest) = encoded >= 10000 ? (encoded / 10000, encoded % 10000) : (encoded / 1000, encoded % 1000);
        return string.Create(CultureInfo.InvariantCulture, $"{major}.{rest / 100}.{rest % 100}");
    }
}
