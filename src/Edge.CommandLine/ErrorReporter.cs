using Edge.Packaging;
using Edge.Sdk;

namespace Edge.CommandLine;

/// <summary>
/// Turns an exception into the CLI's contract: one readable line on standard error and a documented exit code.
/// The stack trace is printed only with <c>--verbose</c>.
/// </summary>
public static class ErrorReporter
{
    /// <summary>Writes the one-line error (and the stack trace when <paramref name="verbose"/>) and returns the exit code.</summary>
    /// <param name="exception">What went wrong.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="verbose">Whether to print the stack trace.</param>
    /// <param name="isBadInput">Recognises a tool's own domain exceptions as bad input (exit code 2), beside the shared ones.</param>
    /// <param name="isGoalNotMet">Recognises a tool's exceptions that mean the command ran but its goal was not met (exit code 3).</param>
    public static int Report(Exception exception, TextWriter error, bool verbose, Func<Exception, bool>? isBadInput = null, Func<Exception, bool>? isGoalNotMet = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(error);
        var exitCode = isGoalNotMet?.Invoke(exception) == true ? ExitCodes.GoalNotMet
            : isBadInput?.Invoke(exception) == true ? ExitCodes.BadInput
            : Classify(exception);
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

    /// <summary>The exit code for exceptions every tool shares: usage, SDK, refused-package, file-system, argument and format errors.</summary>
    public static int Classify(Exception exception) => exception switch
    {
        OperationCanceledException => ExitCodes.Cancelled,
        CliUsageException => ExitCodes.BadInput,
        EdgeException or PackageVerificationException => ExitCodes.BadInput,
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
