namespace Edge.Sdk.Inference;

/// <summary>Settings for the TensorRT execution provider. The device comes from <see cref="CudaProviderOptions.DeviceId"/>.</summary>
public sealed class TensorRtProviderOptions
{
    /// <summary>Allow FP16 kernels. Default <see langword="false"/>.</summary>
    public bool EnableFp16 { get; set; }

    /// <summary>Allow INT8 kernels (the model must carry quantization scales). Default <see langword="false"/>.</summary>
    public bool EnableInt8 { get; set; }

    /// <summary>
    /// Folder where built engines are cached, or <see langword="null"/> (the default) for no cache. Engines go in a
    /// subfolder keyed by GPU compute capability, TensorRT version and the model's SHA-256, so an engine is never
    /// reused on an incompatible device or library. When the key cannot be computed the cache is turned off and a
    /// warning is logged.
    /// </summary>
    public string? EngineCacheDirectory { get; set; }

    internal void Validate(List<string> errors)
    {
        if (EngineCacheDirectory is not null &&
            (EngineCacheDirectory.Trim().Length == 0 || EngineCacheDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
        {
            errors.Add($"TensorRt.EngineCacheDirectory must be a valid folder path when set, but was '{EngineCacheDirectory}'.");
        }
    }
}
