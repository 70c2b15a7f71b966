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
    /// <summary>Exit code when the settings are invalid; every problem is printed on standard error.</summary>
    public const int InvalidConfigurationExitCode = 2;

    private static async Task<int> Main(string[] args)
    {
        _ = NativeHeap.LimitArenas(2); // before the host starts its threads
        using var host = AgentHost.CreateBuilder(args).Build();
        var trimFileMappings = ReadTrimFileMappings(host.Services.GetRequiredService<IConfiguration>(), out var trimError);
        try
        {
            if (trimError is not null)
            {
                // Validate the agent's options too (throws listing theirs), so every error is reported at once.
                _ = host.Services.GetRequiredService<IOptions<EdgeAgentOptions>>().Value;
                throw new OptionsValidationException(TrimFileMappingsKey, typeof(bool), [trimError]);
            }

            await host.StartAsync();
            var trim = trimFileMappings ? TrimStartupPages() : null;
            ReleaseStartupGarbage();
            LogTrim(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkingSetTrimmer).FullName!), trim);
            await host.WaitForShutdownAsync();
            return 0;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("edge-agent: invalid configuration:");
            foreach (var failure in trimError is null || e.Failures.Contains(trimError) ? e.Failures : e.Failures.Append(trimError))
            {
                await Console.Error.WriteLineAsync("  - " + failure);
            }

            return InvalidConfigurationExitCode;
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
