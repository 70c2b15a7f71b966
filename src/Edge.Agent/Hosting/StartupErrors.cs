using System.Security.Cryptography;
using System.Text.Json;
using Edge.Packaging;
using Edge.Sdk;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Hosting;

/// <summary>
/// The daemon's exit contract for a start that fails: bad settings, or a file a setting names that is missing or
/// unusable, give one line on standard error and exit code 2 (systemd's unit does not restart on 2); anything else
/// is a bug in the agent, exit code 1, with the stack trace only when <c>--verbose</c> is given.
/// </summary>
internal static class StartupErrors
{
    public const int BadSettings = 2;
    public const int InternalError = 1;

    public static int Report(Exception exception, TextWriter error, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(error);
        var (code, line) = exception switch
        {
            OptionsValidationException e => (BadSettings, "invalid configuration: " + string.Join("; ", e.Failures.Select(f => f.Trim().TrimEnd('.'))) + "."),
            AgentSettingsException e => (BadSettings, e.Message),
            FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException
                or InvalidDataException or FormatException or JsonException or CryptographicException or EdgeException or PackageVerificationException => (BadSettings, exception.Message),
            _ => (InternalError, $"internal error: {exception.GetType().Name}: {exception.Message}"),
        };
        error.WriteLine("edge-agent: " + line.ReplaceLineEndings(" ").Trim());
        if (verbose)
        {
            error.WriteLine(exception.ToString());
        }
        else if (code == InternalError)
        {
            error.WriteLine("edge-agent: run again with --verbose for the stack trace.");
        }

        return code;
    }
}
