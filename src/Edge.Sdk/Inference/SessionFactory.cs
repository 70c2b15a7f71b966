using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Sdk.Inference;

/// <summary>
/// Picks the execution provider and creates the ONNX Runtime session. For <see cref="ExecutionProvider.Auto"/> it
/// tries TensorRT, CUDA, then CPU, logging why each was skipped; an explicit provider that cannot be used throws
/// <see cref="ExecutionProviderUnavailableException"/>. Availability is read from the build's provider list first;
/// appending a provider is still guarded broadly, because the CPU package throws EntryPointNotFoundException there.
/// </summary>
internal sealed class SessionFactory
{
    private static readonly ExecutionProvider[] AutoOrder = [ExecutionProvider.TensorRT, ExecutionProvider.Cuda, ExecutionProvider.Cpu];

    private readonly IReadOnlyCollection<string> availableProviders;
    private readonly IGpuProbe gpuProbe;
    private readonly ILogger logger;

    public SessionFactory(IReadOnlyCollection<string> availableProviders, IGpuProbe gpuProbe, ILogger logger)
    {
        this.availableProviders = availableProviders;
        this.gpuProbe = gpuProbe;
        this.logger = logger;
    }

    public static IReadOnlyCollection<string> BuildProviders() => OrtEnv.Instance().GetAvailableProviders();

    public (InferenceSession Session, ExecutionProvider Provider) Create(ModelSource source, EdgeSessionOptions options)
    {
        var isExplicit = options.Provider != ExecutionProvider.Auto;
        var candidates = isExplicit ? [options.Provider] : AutoOrder;
        foreach (var candidate in candidates)
        {
            if (candidate != ExecutionProvider.Cpu && !availableProviders.Contains(ProviderHelp.OrtName(candidate)))
            {
                var reason = ProviderHelp.NotInBuild(candidate, availableProviders);
                if (isExplicit)
                {
                    throw new ExecutionProviderUnavailableException(candidate, reason);
                }

                logger.LogInformation("Skipped {Provider} for {Model}: {Reason}", candidate, source.Description, reason);
                continue;
            }

            SessionOptions sessionOptions;
            try
            {
                sessionOptions = BuildOptions(candidate, source, options);
            }
#pragma warning disable CA1031 // Any failure to append a GPU provider (EntryPointNotFound, DllNotFound, OnnxRuntime) means "not usable here".
            catch (Exception error) when (candidate != ExecutionProvider.Cpu)
#pragma warning restore CA1031
            {
                var reason = ProviderHelp.FailedToStart(candidate, error);
                if (isExplicit)
                {
                    throw new ExecutionProviderUnavailableException(candidate, reason, error);
                }

                logger.LogWarning(error, "Skipped {Provider} for {Model}: {Reason}", candidate, source.Description, reason);
                continue;
            }

            using (sessionOptions)
            {
                try
                {
                    var session = source.CreateSession(sessionOptions);
                    logger.LogInformation("Loaded {Model} on {Provider}", source.Description, candidate);
                    return (session, candidate);
                }
#pragma warning disable CA1031 // A GPU session can fail for device reasons; Auto falls back and CPU reports the model error.
                catch (Exception error) when (!isExplicit && candidate != ExecutionProvider.Cpu)
#pragma warning restore CA1031
                {
                    logger.LogWarning(error, "Skipped {Provider} for {Model}: session creation failed: {Message}", candidate, source.Description, error.Message);
                }
                catch (OnnxRuntimeException error)
                {
                    throw new ModelLoadException(
                        source.Description,
                        $"Model '{source.Description}' could not be loaded on {candidate}: {error.Message}",
                        error);
                }
            }
        }

        throw new InvalidOperationException("The CPU provider is always tried last, so this is unreachable.");
    }

    internal SessionOptions BuildOptions(ExecutionProvider provider, ModelSource source, EdgeSessionOptions options)
    {
        var sessionOptions = new SessionOptions
        {
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            GraphOptimizationLevel = options.OptimizationLevel,
            IntraOpNumThreads = options.Cpu.IntraOpThreads,
            InterOpNumThreads = options.Cpu.InterOpThreads,
        };
        try
        {
            var affinity = options.Cpu.AffinityConfigValue();
            if (affinity is not null)
            {
                sessionOptions.AddSessionConfigEntry("session.intra_op_thread_affinities", affinity);
            }

            if (provider == ExecutionProvider.TensorRT)
            {
                AppendTensorRt(sessionOptions, source, options);
            }

            if (provider is ExecutionProvider.TensorRT or ExecutionProvider.Cuda)
            {
                // Under TensorRT, CUDA takes the nodes TensorRT cannot, rather than the CPU.
                AppendCuda(sessionOptions, options.Cuda);
            }

            return sessionOptions;
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    /// <summary>The engine cache folder for this model and device, or null when the key cannot be computed.</summary>
    internal string? ResolveEngineCachePath(ModelSource source, EdgeSessionOptions options)
    {
        var root = options.TensorRt.EngineCacheDirectory;
        if (root is null)
        {
            return null;
        }

        var capability = gpuProbe.ComputeCapability(options.Cuda.DeviceId);
        var version = gpuProbe.TensorRtVersion();
        if (capability is null || version is null)
        {
            logger.LogWarning(
                "TensorRT engine cache disabled for {Model}: could not read the {Missing} from the NVIDIA libraries, so an engine could be reused on an incompatible device.",
                source.Description,
                capability is null ? "GPU compute capability (libcudart)" : "TensorRT version (libnvinfer)");
            return null;
        }

        var key = TensorRtEngineCacheKey.Compute(capability.Value.Major, capability.Value.Minor, version, source.Sha256());
        return Path.Combine(Path.GetFullPath(root), key);
    }

    private void AppendTensorRt(SessionOptions sessionOptions, ModelSource source, EdgeSessionOptions options)
    {
        var settings = new Dictionary<string, string>
        {
            ["device_id"] = options.Cuda.DeviceId.ToString(CultureInfo.InvariantCulture),
            ["trt_fp16_enable"] = options.TensorRt.EnableFp16 ? "1" : "0",
            ["trt_int8_enable"] = options.TensorRt.EnableInt8 ? "1" : "0",
        };
        var cachePath = ResolveEngineCachePath(source, options);
        if (cachePath is not null)
        {
            Directory.CreateDirectory(cachePath);
            settings["trt_engine_cache_enable"] = "1";
            settings["trt_engine_cache_path"] = cachePath;
        }

        using var tensorRt = new OrtTensorRTProviderOptions();
        tensorRt.UpdateOptions(settings);
        sessionOptions.AppendExecutionProvider_Tensorrt(tensorRt);
    }

    private static void AppendCuda(SessionOptions sessionOptions, CudaProviderOptions cuda)
    {
        var settings = new Dictionary<string, string>
        {
            ["device_id"] = cuda.DeviceId.ToString(CultureInfo.InvariantCulture),
        };
        if (cuda.MemoryLimitBytes is { } limit)
        {
            settings["gpu_mem_limit"] = limit.ToString(CultureInfo.InvariantCulture);
        }

        using var options = new OrtCUDAProviderOptions();
        options.UpdateOptions(settings);
        sessionOptions.AppendExecutionProvider_CUDA(options);
    }
}
