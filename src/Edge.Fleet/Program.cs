using Edge.Fleet.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var interactive = !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));
return await EdgeFleetCli.RunAsync(args, Console.Out, Console.Error, interactive, cancellation.Token);
