using System.CommandLine;
using System.CommandLine.Parsing;
using Edge.Sdk.Inference;

namespace Edge.Optimizer.Cli;

/// <summary>Options several commands share, built fresh for each command (an option belongs to one parent).</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Write the documented JSON schema to standard output instead of text." };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "ONNX Runtime intra-op threads (0 = ONNX Runtime's default).",
        DefaultValueFactory = _ => 2,
        Validators = { r => { if (r.GetValueOrDefault<int>() < 0) { r.AddError("--threads must be 0 or more."); } } },
    };

    public static Option<ExecutionProvider> Provider() => new("--provider")
    {
        Description = "Execution provider: auto (TensorRT, then CUDA, then CPU), cpu, cuda or tensorrt.",
        DefaultValueFactory = _ => ExecutionProvider.Auto,
    };

    public static Option<FileInfo[]> Trust() => new("--trust")
    {
        Description = "Public key (PEM) trusted to sign packages; repeat for several keys.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<bool> AllowUnsigned() => new("--allow-unsigned-for-development")
    {
        Description = "Open unsigned packages. For development only: nothing verifies where such a package came from.",
    };

    public static Option<FileInfo?> Preprocess() => new("--preprocess")
    {
        Description = "Preprocessing spec (JSON, see docs/preprocessing.md) that turns images into model input.",
    };

    public static Func<EdgeSessionOptions> SessionOptions(ExecutionProvider provider, int threads) => () => new EdgeSessionOptions
    {
        Provider = provider,
        Cpu = new CpuProviderOptions { IntraOpThreads = threads },
    };

    /// <summary>
    /// Binds an option through <paramref name="parse"/>, the same parser recipes use (for names such as <c>2:4</c> or
    /// <c>bn-gamma</c>), turning its <see cref="ArgumentException"/> into a parse error: exit 2 with its message.
    /// </summary>
    public static T ParseWith<T>(ArgumentResult result, Func<string, T> parse)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(parse);
        var text = string.Join(",", result.Tokens.Select(t => t.Value));
        try
        {
            return parse(text);
        }
        catch (ArgumentException exception)
        {
            result.AddError(exception.Message);
            return default!;
        }
    }
}
