using System.Reflection;
using Edge.Sdk.Diagnostics;
using Edge.Sdk.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Sdk.Inference;

/// <summary>
/// A loaded, warmed-up model on the best available execution provider (see <see cref="Provider"/>).
/// </summary>
/// <remarks>
/// <para>Ownership: whoever calls <c>Load</c> disposes the session, after every request made from it; a
/// <see cref="ModelHost"/> owns and disposes the sessions it holds.</para>
/// <para>Thread-safety: <see cref="Run{TInput, TOutput}"/>, <see cref="RunAsync{TInput, TOutput}"/> and
/// <see cref="CreateRequest"/> may be called from many threads at once. Each <see cref="InferenceRequest"/> is used
/// by one thread at a time. Dispose only when no call is in flight (<see cref="ModelHost"/> ensures this with leases).</para>
/// </remarks>
public sealed class EdgeSession : IDisposable
{
    private readonly InferenceSession session;
    private readonly InferenceInstruments instruments;
    private readonly TimeProvider timeProvider;
    private readonly Stack<InferenceRequest> pool = new();
    private bool disposed;

    private EdgeSession(InferenceSession session, ExecutionProvider provider, string name, string version, TimeProvider timeProvider)
    {
        this.session = session;
        this.timeProvider = timeProvider;
        Provider = provider;
        ModelName = name;
        ModelVersion = version;
        Inputs = [.. session.InputNames.Select(n => new TensorInfo(n, session.InputMetadata[n]))];
        Outputs = [.. session.OutputNames.Select(n => new TensorInfo(n, session.OutputMetadata[n]))];
        instruments = new InferenceInstruments(name, version, provider);
    }

    /// <summary>The provider chosen when the session was loaded.</summary>
    public ExecutionProvider Provider { get; }

    /// <summary>
    /// The ONNX Runtime release this process runs models with, for example <c>1.23.2</c>: the version of its managed
    /// assembly, which ships in the same package as the native library. Reading it does not load the native library.
    /// </summary>
    public static string OnnxRuntimeVersion { get; } = ReadOnnxRuntimeVersion();

    /// <summary>Model name used in metrics and logs.</summary>
    public string ModelName { get; }

    /// <summary>Model version used in metrics and logs.</summary>
    public string ModelVersion { get; }

    /// <summary>The model's inputs in declaration order.</summary>
    public IReadOnlyList<TensorInfo> Inputs { get; }

    /// <summary>The model's outputs in declaration order.</summary>
    public IReadOnlyList<TensorInfo> Outputs { get; }

    internal bool IsDisposed => Volatile.Read(ref disposed);

    internal InferenceInstruments Instruments => instruments;

    /// <summary>Loads an .onnx file (external data files are resolved beside it), selects a provider and warms up.</summary>
    /// <exception cref="ArgumentException">The options are invalid; every problem is listed.</exception>
    /// <exception cref="ModelLoadException">The file is missing, corrupt or unsupported.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">An explicitly requested provider cannot be used.</exception>
    public static EdgeSession Load(string modelPath, EdgeSessionOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new ModelLoadException(modelPath, $"Model file '{Path.GetFullPath(modelPath)}' {PathProblem.ForFile(modelPath)}.", new FileNotFoundException(null, modelPath));
        }

        return Create(ModelSource.FromFile(modelPath), options ?? new EdgeSessionOptions(), loggerFactory);
    }

    /// <summary>Loads a model from its serialized bytes. See <see cref="Load(string, EdgeSessionOptions?, ILoggerFactory?)"/>.</summary>
    public static EdgeSession Load(byte[] model, EdgeSessionOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Create(ModelSource.FromBytes(model), options ?? new EdgeSessionOptions(), loggerFactory);
    }

    /// <summary>Reads a model from a stream (left open), then loads it on a thread-pool thread.</summary>
    public static async Task<EdgeSession> LoadAsync(Stream model, EdgeSessionOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var buffer = new MemoryStream();
        await model.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        return await Task.Run(() => Load(bytes, options, loggerFactory), cancellationToken);
    }

    internal static EdgeSession Create(
        ModelSource source,
        EdgeSessionOptions options,
        ILoggerFactory? loggerFactory,
        IReadOnlyCollection<string>? availableProviders = null,
        IGpuProbe? gpuProbe = null)
    {
        options.ThrowIfInvalid();
        var logger = (ILogger?)loggerFactory?.CreateLogger<EdgeSession>() ?? NullLogger.Instance;
        var factory = new SessionFactory(availableProviders ?? SessionFactory.BuildProviders(), gpuProbe ?? NvidiaRuntimeProbe.Instance, logger);
        var (session, provider) = factory.Create(source, options);
        EdgeSession? edge = null;
        try
        {
            // ONNX Runtime reports long.MaxValue when the model declares no model_version; 0 is the proto default.
            var declaredVersion = session.ModelMetadata.Version;
            var version = options.ModelVersion ?? (declaredVersion is 0 or long.MaxValue ? "unknown" : declaredVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
            edge = new EdgeSession(session, provider, options.ModelName ?? source.DefaultName, version, options.TimeProvider);
            edge.WarmUp(options.WarmupRuns, logger);
            return edge;
        }
        catch
        {
            if (edge is null)
            {
                session.Dispose();
            }
            else
            {
                edge.Dispose();
            }

            throw;
        }
    }

    /// <summary>Creates a request for this session. The caller disposes it, before the session.</summary>
    public InferenceRequest CreateRequest()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return new InferenceRequest(this, session);
    }

    /// <summary>
    /// Runs a single-input, single-output model with fixed shapes, reading <paramref name="input"/> and writing the
    /// result into <paramref name="output"/>, both without copying. Thread-safe: requests are pooled per session,
    /// so steady-state calls that reuse the same buffers allocate nothing.
    /// </summary>
    /// <exception cref="InputMismatchException">A buffer does not match the model's input or output.</exception>
    public void Run<TInput, TOutput>(ReadOnlyMemory<TInput> input, Memory<TOutput> output)
        where TInput : unmanaged
        where TOutput : unmanaged
    {
        if (Inputs.Count != 1 || Outputs.Count != 1)
        {
            throw new InvalidOperationException(
                $"Run(input, output) needs a model with one input and one output, but '{ModelName}' has {Inputs.Count} input(s) and {Outputs.Count} output(s); use CreateRequest.");
        }

        var request = Rent();
        try
        {
            request.SetInput(Inputs[0].Name, input);
            request.SetOutput(Outputs[0].Name, output);
            request.Run();
        }
        finally
        {
            Return(request);
        }
    }

    /// <summary>Runs <see cref="Run{TInput, TOutput}"/> on a thread-pool thread.</summary>
    public Task RunAsync<TInput, TOutput>(ReadOnlyMemory<TInput> input, Memory<TOutput> output, CancellationToken cancellationToken = default)
        where TInput : unmanaged
        where TOutput : unmanaged
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.Run(() => Run(input, output), cancellationToken);
    }

    /// <summary>Releases the ONNX Runtime session and pooled requests. Not while calls are in flight.</summary>
    public void Dispose()
    {
        lock (pool)
        {
            if (disposed)
            {
                return;
            }

            Volatile.Write(ref disposed, true);
            while (pool.TryPop(out var request))
            {
                request.Dispose();
            }
        }

        session.Dispose();
    }

    /// <summary>The one place a run happens, so every call is counted and timed the same way.</summary>
    internal void Execute(OrtIoBinding binding, RunOptions runOptions, bool measured)
    {
        if (!measured)
        {
            session.RunWithBinding(runOptions, binding);
            return;
        }

        instruments.RecordCall();
        using var activity = instruments.StartActivity();
        var started = timeProvider.GetTimestamp();
        try
        {
            session.RunWithBinding(runOptions, binding);
        }
        catch (Exception e)
        {
            instruments.RecordError();
            InferenceInstruments.RecordFailure(activity, e);
            throw;
        }

        instruments.RecordSuccess(timeProvider.GetElapsedTime(started).TotalSeconds);
    }

    private void WarmUp(int runs, ILogger logger)
    {
        if (runs == 0)
        {
            return;
        }

        using var request = CreateRequest();
        if (!request.TryBindZeroInputs())
        {
            logger.LogInformation("Skipped warm-up of {Model}: it has non-tensor or string inputs.", ModelName);
            return;
        }

        for (var i = 0; i < runs; i++)
        {
            request.RunCore(measured: false);
        }
    }

    private InferenceRequest Rent()
    {
        lock (pool)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (pool.TryPop(out var request))
            {
                return request;
            }
        }

        return CreateRequest();
    }

    private void Return(InferenceRequest request)
    {
        lock (pool)
        {
            if (!disposed)
            {
                pool.Push(request);
                return;
            }
        }

        request.Dispose();
    }

    private static string ReadOnnxRuntimeVersion()
    {
        var assembly = typeof(OrtEnv).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var version = informational ?? assembly.GetName().Version?.ToString(3) ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? version[..plus] : version;
    }
}
