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
            await host.RunAsync();
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
}
