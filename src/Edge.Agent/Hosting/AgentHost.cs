using System.Text.Json;
using Edge.Sdk.IO;
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
            configuration.AddJsonFile(CheckConfigFile(file), optional: false, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddCommandLine(args);

        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));

        // A start that fails is reported by the daemon itself in one line (Program, StartupErrors); the host's own
        // "Hosting failed to start" error would repeat it with a stack trace. Its critical messages still show.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        // The formatter comes from Logging:Console:FormatterName (simple by default; json, systemd).
        builder.Logging.AddEdgeConsole();
        builder.Services.AddEdgeAgent(configuration);
        return builder;
    }

    /// <summary>The full path of the <c>--config</c> file, after checking that it is a readable JSON object.</summary>
    private static string CheckConfigFile(string file)
    {
        var path = Path.GetFullPath(file);
        if (Directory.Exists(path))
        {
            throw new AgentSettingsException($"--config '{path}' is a folder; expected a JSON settings file.");
        }

        if (!File.Exists(path))
        {
            throw new AgentSettingsException($"--config '{path}' {PathProblem.ForFile(path)}; expected a JSON settings file.");
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new AgentSettingsException($"--config '{path}' holds a JSON {document.RootElement.ValueKind}; expected an object of settings.");
            }
        }
        catch (JsonException e)
        {
            throw new AgentSettingsException($"--config '{path}' is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}); expected an object of settings.", e);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new AgentSettingsException($"--config '{path}' cannot be read: {e.Message}", e);
        }

        return path;
    }
}
