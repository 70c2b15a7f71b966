using Edge.Agent.Mqtt;

namespace Edge.Agent.Tests.Mqtt;

public sealed class TopicSchemeTests
{
    private readonly TopicScheme _topics = new("fleet1", "dev1");

    [Theory]
    [InlineData("edge/fleet1/dev1/cmd/ping", "ping")]
    [InlineData("edge/fleet1/dev1/cmd/response", null)]
    [InlineData("edge/fleet1/dev2/cmd/ping", null)]
    [InlineData("edge/fleet1/dev1/cmd/a/b", null)]
    [InlineData("edge/fleet1/dev1/cmd/", null)]
    public void CommandName_Topic_IsNameOnlyForOwnRequests(string topic, string? expected) =>
        Assert.Equal(expected, _topics.CommandName(topic));

    [Theory]
    [InlineData(null, "edge/fleet1/dev1/cmd/response")]
    [InlineData("edge/fleet1/dev1/cmd/response/op7", "edge/fleet1/dev1/cmd/response/op7")]
    [InlineData("edge/fleet1/dev2/cmd/response", "edge/fleet1/dev1/cmd/response")]
    [InlineData("backend/replies", "edge/fleet1/dev1/cmd/response")]
    [InlineData("edge/fleet1/dev1/cmd/response/#", "edge/fleet1/dev1/cmd/response")]
    public void ResponseTopicFor_Requested_StaysInsideOwnSubtree(string? requested, string expected) =>
        Assert.Equal(expected, _topics.ResponseTopicFor(requested));
}
