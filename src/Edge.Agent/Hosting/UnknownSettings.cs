using Microsoft.Extensions.Configuration;

namespace Edge.Agent.Hosting;

/// <summary>
/// Finds settings under the agent's sections that no option reads, such as a mistyped <c>--Mqtt:Hots</c>, which
/// would otherwise be ignored while the agent runs with the default. Keys outside those sections (<c>Logging</c>,
/// <c>Memory</c>, <c>config</c>, an app's own) are not the agent's to judge.
/// </summary>
internal static class UnknownSettings
{
    /// <summary>The top-level names of <see cref="EdgeAgentOptions"/>; a test keeps this list equal to its properties.</summary>
    public static readonly IReadOnlyList<string> AgentSections = ["FleetId", "DeviceId", "Mqtt", "Telemetry", "Outbox", "Commands", "Device", "Ota", "OpenTelemetry", "Http", "Health", "Drift", "Capture"];

    /// <summary>One message per section that holds keys the agent does not know; empty when there are none.</summary>
    public static IReadOnlyList<string> Find(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        foreach (var name in AgentSections)
        {
            var section = configuration.GetSection(name);
            if (!section.GetChildren().Any())
            {
                continue;
            }

            // The binder itself compares the keys with the properties it binds, nested sections included.
            var only = new ConfigurationBuilder()
                .AddInMemoryCollection(section.AsEnumerable().Where(p => p.Value is not null))
                .Build();
            try
            {
                _ = only.Get<EdgeAgentOptions>(o => o.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException e) when (BindsWithoutTheCheck(only))
            {
                problems.Add($"unknown setting under '{name}' ({e.Message.Trim().TrimEnd('.')})");
            }
            catch (InvalidOperationException)
            {
                // A value that does not convert: the daemon's check of every setting reports it once.
            }
        }

        return problems;
    }

    private static bool BindsWithoutTheCheck(IConfiguration configuration)
    {
        try
        {
            _ = configuration.Get<EdgeAgentOptions>();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
