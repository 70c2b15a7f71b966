using Edge.Agent.Hosting;
using Microsoft.Extensions.Configuration;

namespace Edge.Agent.Tests.Hosting;

public sealed class UnknownSettingsTests
{
    [Fact]
    public void AgentSections_AreEveryPropertyOfTheOptions() =>
        Assert.Equal(typeof(EdgeAgentOptions).GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal), UnknownSettings.AgentSections.Order(StringComparer.Ordinal));

    [Fact]
    public void Find_MistypedKey_NamesItsSectionAndKeyAndIgnoresOtherSections()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mqtt:Host"] = "broker",
            ["Mqtt:Hots"] = "broker.local",
            ["Telemetry:Interval"] = "00:00:10",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Memory:TrimFileMappings"] = "false",
            ["MyApp:Anything"] = "1",
        }).Build();

        var problems = UnknownSettings.Find(configuration);

        var problem = Assert.Single(problems);
        Assert.Contains("'Mqtt'", problem, StringComparison.Ordinal);
        Assert.Contains("Hots", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_KnownKeysOnly_FindsNothing()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FleetId"] = "f1",
            ["Mqtt:Tls:Enabled"] = "false",
            ["Device:Models:0:Name"] = "m",
            ["Ota:TrustedKeyFiles:0"] = "/k.pem",
        }).Build();

        Assert.Empty(UnknownSettings.Find(configuration));
    }
}
