namespace Edge.Agent.Tests.Storage;

public sealed class AgentStateDirectoryTests
{
    [Fact]
    public void UnderSystemd_UsesItsStateDirectory()
    {
        var folder = AgentStateDirectory.Resolve(Variables(("STATE_DIRECTORY", "/var/lib/edge-agent"), ("XDG_STATE_HOME", "/home/pi/.state")), "/home/pi");

        Assert.Equal("/var/lib/edge-agent", folder);
    }

    [Fact]
    public void SystemdWithSeveralStateDirectories_TakesTheFirst()
    {
        Assert.Equal("/var/lib/edge-agent", AgentStateDirectory.Resolve(Variables(("STATE_DIRECTORY", "/var/lib/edge-agent:/var/lib/other")), "/root"));
    }

    [Fact]
    public void AsAUser_UsesXdgStateHomeThenTheHomeFolder()
    {
        Assert.Equal("/home/pi/.state/edge-agent", AgentStateDirectory.Resolve(Variables(("XDG_STATE_HOME", "/home/pi/.state")), "/home/pi"));
        Assert.Equal("/home/pi/.local/state/edge-agent", AgentStateDirectory.Resolve(Variables(), "/home/pi"));
        Assert.Equal("/home/pi/.local/state/edge-agent", AgentStateDirectory.Resolve(Variables(("XDG_STATE_HOME", "relative/ignored")), "/home/pi"));
    }

    [Fact]
    public void WithoutAHome_FallsBackToVarLib()
    {
        Assert.Equal("/var/lib/edge-agent", AgentStateDirectory.Resolve(Variables(), string.Empty));
    }

    [Fact]
    public void OutboxDefault_IsInTheStateFolder()
    {
        Assert.Equal(Path.Combine(AgentStateDirectory.Resolve(), "outbox.db"), new OutboxOptions().Path);
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;
}
