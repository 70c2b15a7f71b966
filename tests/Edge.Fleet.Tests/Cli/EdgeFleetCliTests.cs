using Edge.CommandLine;
using Edge.Fleet.Cli;

namespace Edge.Fleet.Tests.Cli;

public class EdgeFleetCliTests
{
    [Fact]
    public async Task RunAsync_UnknownCommand_ExitsTwoWithUsageHint()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await EdgeFleetCli.RunAsync(["no-such-command"], output, error);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("Run 'dotnet edge-fleet --help' for usage.", error.ToString(), StringComparison.Ordinal);
    }
}
