using Edge.Agent.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Edge.Agent;

/// <summary>The standalone <c>edge-agent</c> daemon.</summary>
internal static class Program
{
    /// <summary>Exit code when the settings are invalid; every problem is printed on standard error.</summary>
    public const int InvalidConfigurationExitCode = 2;

    private static async Task<int> Main(string[] args)
    {
        using var host = AgentHost.CreateBuilder(args).Build();
        try
        {
            await host.StartAsync();
            ReleaseStartupGarbage();
            await host.WaitForShutdownAsync();
            return 0;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("edge-agent: invalid configuration:");
            foreach (var failure in e.Failures)
            {
                await Console.Error.WriteLineAsync("  - " + failure);
            }

            return InvalidConfigurationExitCode;
        }
    }

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
