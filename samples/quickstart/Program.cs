namespace Edge.Quickstart;

/// <summary>Entry point: <c>dotnet run --project samples/quickstart</c> (see README.md).</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => QuickstartCli.RunAsync(args, Console.Out, Console.Error);
}
