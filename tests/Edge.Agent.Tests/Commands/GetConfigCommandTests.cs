using System.Text.Json;
using Edge.Agent.Commands;
using Edge.Agent.Telemetry;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Tests.Commands;

public sealed class GetConfigCommandTests
{
    [Fact]
    public async Task Execute_SecretsSet_RedactsPasswordAndBearerToken()
    {
        var options = new EdgeAgentOptions
        {
            Mqtt = { Username = "device", Password = "mqtt-secret" },
            Http = { Enabled = true, BearerToken = "http-secret-0123456789" },
        };
        var command = new GetConfigCommand(Options.Create(options), new TelemetrySchedule(TimeSpan.FromSeconds(10)));

        var json = (await command.ExecuteAsync(default, CancellationToken.None))!.ToJsonString();

        Assert.DoesNotContain("mqtt-secret", json, StringComparison.Ordinal);
        Assert.DoesNotContain("http-secret", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal("***", document.RootElement.GetProperty("http").GetProperty("bearerToken").GetString());
        Assert.True(document.RootElement.GetProperty("http").GetProperty("enabled").GetBoolean());
    }
}
