using Edge.Sdk;

namespace Edge.Optimizer.Cli;

/// <summary>
/// Turns an exception into the CLI's contract: one readable line on standard error and a documented exit code.
/// The stack trace is printed only with <c>--verbose</c>.
/// </summary>
internal static class ErrorReporter
{
    public static int Report(Exception exception, TextWriter error, bool verbose)
    {
        var exitCode = Classify(exception);
        var prefix = exitCode == ExitCodes.InternalError ? "internal error" : "error";
        error.WriteLine($"{prefix}: {OneLine(Describe(exception))}");
        if (verbose)
        {
            error.WriteLine(exception.ToString());
        }
        else if (exitCode == ExitCodes.InternalError)
        {
            error.WriteLine("Run again with --verbose for the stack trace.");
        }

        return exitCode;
    }

    internal static int Classify(Exception exception) => exception switch
    {
        OperationCanceledException => ExitCodes.Cancelled,
        CliUsageException => ExitCodes.BadInput,
        EdgeException => ExitCodes.BadInput,
        Edge.Onnx.OnnxModelException => ExitCodes.BadInput,
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException => ExitCodes.BadInput,
        ArgumentException or FormatException or InvalidDataException => ExitCodes.BadInput,
        _ => ExitCodes.InternalError,
    };

    private static string Describe(Exception exception) => exception switch
    {
        OperationCanceledException => "cancelled",
        UnauthorizedAccessException e => $"access denied: {e.Message}",
        _ => exception.Message,
    };

    private static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();
}
