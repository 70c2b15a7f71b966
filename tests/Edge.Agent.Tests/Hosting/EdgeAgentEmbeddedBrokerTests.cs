namespace Edge.Agent.Tests.Hosting;

/// <summary>The broker suite against MQTTnet's embedded broker.</summary>
public sealed class EdgeAgentEmbeddedBrokerTests : EdgeAgentBrokerTests
{
    protected override async Task<ITestBroker> StartBrokerAsync() => await EmbeddedMqttBroker.StartAsync();
}
