using Edge.Agent.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Edge.Agent;

/// <summary>The standalone <c>edge-agent</c> daemon.</summary>
internal static partial class Program
{
    /// <summary>Exit code when the settings, or a file they name, are invalid; one line on standard error says which.</summary>
    public const int InvalidConfigurationExitCode = StartupErrors.BadSettings;

    /// <summary>The flag that prints the stack trace of a failed start; it is not a setting.</summary>
    public const string VerboseFlag = "--verbose";

    private static async Task<int> Main(string[] args)
    {
        var verbose = args.Contains(VerboseFlag, StringComparer.Ordinal);
        try
        {
            return await RunAsync([.. args.Where(a => a != VerboseFlag)]);
        }
#pragma warning disable CA1031 // The daemon's contract: every failure to start becomes one line and an exit code, never an abort.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return StartupErrors.Report(e, Console.Error, verbose);
        }
    }

    private static async Task<int> RunAsync(string[] args)
    {
        _ = NativeHeap.LimitArenas(2); // before the host starts its threads
        using var host = AgentHost.CreateBuilder(args).Build();
        var configuration = host.Services.GetRequiredService<IConfiguration>();
        var trimFileMappings = ReadTrimFileMappings(configuration, out var trimError);
        CheckSettings(host.Services, configuration, trimError);
        await host.StartAsync();
        var trim = trimFileMappings ? TrimStartupPages() : null;
        ReleaseStartupGarbage();
        LogTrim(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkingSetTrimmer).FullName!), trim);
        await host.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>
    /// Binds and validates every setting before anything starts, and throws one exception that lists every problem:
    /// values that do not convert, values out of range, keys no option reads and <see cref="TrimFileMappingsKey"/>.
    /// </summary>
    private static void CheckSettings(IServiceProvider services, IConfiguration configuration, string? trimError)
    {
        var problems = new List<string>(UnknownSettings.Find(configuration));
        try
        {
            _ = services.GetRequiredService<IOptions<EdgeAgentOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            problems.InsertRange(0, e.Failures);
        }
        catch (InvalidOperationException e)
        {
            // The configuration binder: a value that does not convert to its setting's type (Telemetry:Interval=abc).
            problems.Insert(0, e.Message.Trim());
        }

        if (trimError is not null)
        {
            problems.Add(trimError);
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(nameof(EdgeAgentOptions), typeof(EdgeAgentOptions), problems.Distinct(StringComparer.Ordinal));
        }
    }

    /// <summary>Settings key that turns <see cref="TrimStartupPages"/> off (<c>--Memory:TrimFileMappings=false</c>).</summary>
    public const string TrimFileMappingsKey = "Memory:TrimFileMappings";

    /// <summary>
    /// Once the host has started, unmaps the executable's and shared libraries' read-only pages and drops the
    /// executable's and its private libraries' unmapped pages from the page cache (<see cref="WorkingSetTrimmer"/>):
    /// code that only start-up ran, and the neighbours fault-around mapped with it, leave the resident set, and what
    /// the agent still runs faults back in. About 4 MiB less RSS at 10 msg/s (docs/agent.md "Memory").
    /// </summary>
    private static WorkingSetTrimResult? TrimStartupPages()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        if (Environment.ProcessPath is not { } executable || Path.GetDirectoryName(executable) is not { Length: > 1 } directory)
        {
            // Without the agent's own folder "evict" could match every library on the system.
            return WorkingSetTrimResult.NotSupported($"The executable's folder is unknown (process path '{Environment.ProcessPath}').");
        }

        var folder = directory + Path.DirectorySeparatorChar;
        return WorkingSetTrimmer.Trim(
            "/proc/self/smaps",
            unmap: path => path == executable || WorkingSetTrimmer.IsSharedLibrary(path),
            evict: path => path.StartsWith(folder, StringComparison.Ordinal));
    }

    private static bool ReadTrimFileMappings(IConfiguration configuration, out string? error)
    {
        error = null;
        var value = configuration[TrimFileMappingsKey];
        if (value is null)
        {
            return true;
        }

        if (bool.TryParse(value, out var enabled))
        {
            return enabled;
        }

        error = $"{TrimFileMappingsKey} must be true or false; got '{value}'.";
        return false;
    }

    private static void LogTrim(ILogger logger, WorkingSetTrimResult? result)
    {
        if (result is null)
        {
            return;
        }

        if (result.NotSupportedReason is { } reason)
        {
            LogTrimNotSupported(logger, reason);
        }
        else
        {
            LogTrimmed(logger, result.MappingsAdvised, result.ResidentBytesBefore / 1024, result.FilesEvicted, result.Failures, result.LastError);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Trimmed {Mappings} read-only file mappings ({ResidentKiB} KiB resident before), evicted {Files} files from the page cache; {Failures} calls failed (last error {LastError}).")]
    private static partial void LogTrimmed(ILogger logger, int mappings, long residentKiB, int files, int failures, int lastError);

    [LoggerMessage(Level = LogLevel.Debug, Message = "File mappings not trimmed: {Reason}")]
    private static partial void LogTrimNotSupported(ILogger logger, string reason);

    /// <summary>
    /// Start-up (configuration, the container, option validation, opening the outbox, OTA recovery) allocates a few
    /// MiB that never recur; the pages they touched would otherwise stay resident for the life of the daemon. One
    /// aggressive collection once the host has started compacts the survivors and hands the rest back to the OS:
    /// 2–3 MiB less RSS at idle and under load (bench/results/agent-resources.json). Only the standalone daemon
    /// does this; an app that embeds the agent with AddEdgeAgent manages its own heap.
    /// </summary>
    private static void ReleaseStartupGarbage() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
