using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Hosting;

/// <summary>
/// Builds the standalone <c>edge-agent</c> host. Settings come, later ones winning, from <c>appsettings.json</c>
/// beside the executable, the file named by <c>--config</c> (or <c>EDGE_AGENT_CONFIG</c>), environment variables
/// prefixed <c>EDGE_AGENT_</c> (<c>EDGE_AGENT_Mqtt__Host</c>), and the command line (<c>--Mqtt:Host=...</c>).
/// </summary>
internal static class AgentHost
{
    public const string EnvironmentPrefix = "EDGE_AGENT_";

    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });

        var configuration = builder.Configuration;
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        var early = new ConfigurationBuilder().AddEnvironmentVariables(EnvironmentPrefix).AddCommandLine(args).Build();
        if (early["config"] is { Length: > 0 } file)
        {
            configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddCommandLine(args);

        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            options.UseUtcTimestamp = true;
        });
        builder.Services.AddEdgeAgent(configuration);
        return builder;
    }
}
