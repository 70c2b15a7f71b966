using System.Globalization;
using Edge.Fleet.Cli;
using Edge.Fleet.Tests.Simulation;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Cli;

/// <summary>Runs the edge-fleet CLI in-process against a test broker and state file, as the CLI tests do.</summary>
internal static class FleetCliRun
{
    /// <summary>
    /// Runs <paramref name="args"/> with the fleet <c>f1</c>, the state file <paramref name="statePath"/>, the broker,
    /// and the test operator key (<c>--job-key</c>) appended; returns the exit code and what was written.
    /// </summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(string statePath, MosquittoBroker broker, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] common = ["--state", statePath, "--fleet", "f1", "--broker", broker.Host, "--port", broker.Port.ToString(CultureInfo.InvariantCulture), "--job-key", OperatorKey.PrivateKeyPath];
        var code = await EdgeFleetCli.RunAsync([.. args, .. common], output, error);
        return (code, output.ToString(), error.ToString());
    }
}
