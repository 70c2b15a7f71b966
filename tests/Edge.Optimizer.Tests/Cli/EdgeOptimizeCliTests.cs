namespace Edge.Optimizer.Tests.Cli;

public sealed class EdgeOptimizeCliTests
{
    [Fact]
    public async Task RunAsync_UnknownCommand_ExitsTwoWithTheUsageHintOfTheInstalledCommand()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("no-such-command");

        Assert.Equal(ExitCodes.BadInput, exitCode);
        // The installed tool runs as `dotnet edge-optimize` (or dotnet-edge-optimize); a bare `edge-optimize` does not exist.
        Assert.Contains("Run 'dotnet edge-optimize --help' for usage.", error, StringComparison.Ordinal);
    }
}
