using System.CommandLine;
using Edge.CommandLine;
using Edge.Optimizer.Cli.Commands;

namespace Edge.Optimizer.Cli;

/// <summary>Builds the <c>edge-optimize</c> command tree and runs it with the CLI's error contract.</summary>
public static class EdgeOptimizeCli
{
    /// <summary>The global <c>--verbose</c> flag: stack traces and extra diagnostics.</summary>
    public static Option<bool> VerboseOption { get; } = new("--verbose", "-v")
    {
        Description = "Print stack traces and extra diagnostics.",
        Recursive = true,
    };

    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("edge-optimize: make ONNX models fit edge devices, measure them and package them.")
        {
            VerboseOption,
        };
        root.Add(InspectCommand.Build(context));
        root.Add(EvalCommand.Build(context));
        root.Add(QuantizeCommand.Build(context));
        root.Add(BenchCommand.Build(context));
        root.Add(KeysCommand.Build(context));
        root.Add(PackCommand.Build(context));
        root.Add(VerifyCommand.Build(context));
        root.Add(PruneCommand.Build(context));
        root.Add(DistillCommand.Build(context));
        root.Add(RunCommand.Build(context));
        root.Add(AutoCommand.Build(context));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given writers, and returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool interactive = false, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(output, error, interactive);
        var root = Build(context);
        var parseResult = root.Parse(args);
        var verbose = parseResult.GetValue(VerboseOption);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                error.WriteLine($"error: {parseError.Message}");
            }

            error.WriteLine("Run 'dotnet edge-optimize --help' for usage.");
            return ExitCodes.BadInput;
        }

        try
        {
            var configuration = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
            };
            return await parseResult.InvokeAsync(configuration, cancellationToken);
        }
#pragma warning disable CA1031 // The CLI's contract is to turn every failure into one line and an exit code.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return ErrorReporter.Report(exception, error, verbose, e => e is Edge.Onnx.OnnxModelException, e => e is Passes.Distill.Training.TrainingDivergedException);
        }
    }
}
