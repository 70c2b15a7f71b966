using System.Diagnostics;
using System.Text.Json;
using Edge.Agent.Tests.Ota;
using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.TestUtilities.Mqtt;

namespace Edge.Agent.Tests.Inference;

/// <summary>
/// The inference endpoint called from outside .NET: <c>curl</c> against the agent run as its own process, serving a
/// real mnist package, on every interface with a bearer token. The answer is compared with bare ONNX Runtime.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class InferenceEndpointProcessTests : IDisposable
{
    private const string Token = "process-test-token-0123456789";
    private readonly OtaPackages _packages = new();

    [Fact]
    public async Task Curl_InferOnAgentProcess_MatchesBareOnnxRuntimeAndRefusesWithoutToken()
    {
        var package = await _packages.BuildAsync("1.0.0", rounds: 0);
        var port = FreePort.Next();
        using var agent = AgentProcess.Start(
        [
            "--FleetId=fleet1", "--DeviceId=dev-curl", "--Mqtt:Host=127.0.0.1", "--Mqtt:Port=1",
            $"--Outbox:Path={Path.Combine(_packages.Root, "outbox.db")}",
            "--Ota:Enabled=true", $"--Ota:DataDirectory={Path.Combine(_packages.Root, "agent-data")}",
            $"--Ota:TrustedKeyFiles:0={_packages.PublicKeyPath}", $"--Ota:TrustedJobKeyFiles:0={_packages.OperatorPublicKeyPath}",
            $"--Ota:InitialPackage={package}",
            "--Http:Enabled=true", $"--Http:Urls:0=http://0.0.0.0:{port}", $"--Http:BearerToken={Token}", "--Http:InferenceRoutes=true",
        ]);
        await WaitForPortAsync(agent, port);
        var digit = MnistRequests.Digit();
        var body = Path.Combine(_packages.Root, "request.json");
        await File.WriteAllTextAsync(body, MnistRequests.Body(digit));
        var url = $"http://127.0.0.1:{port}/v2/models/mnist/infer";

        var (status, answer) = await CurlAsync("-X", "POST", "-H", "Content-Type: application/json", "-H", $"Authorization: Bearer {Token}", "--data-binary", "@" + body, url);
        var (noToken, refusal) = await CurlAsync("-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "@" + body, url);
        await File.WriteAllTextAsync(body, MnistRequests.Body(digit[..784], shape: [1, 784]));
        var (wrongShape, shapeError) = await CurlAsync("-X", "POST", "-H", $"Authorization: Bearer {Token}", "--data-binary", "@" + body, url);

        Assert.True(status == 200, $"{status} {answer}; agent output:\n{agent.Output}");
        var expected = InferenceEndpointTests.BareOnnxRuntime(OtaModels.MnistPath, digit);
        var actual = MnistRequests.OutputData(JsonDocument.Parse(answer).RootElement);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"element {i}: ONNX Runtime {expected[i]}, endpoint {actual[i]}");
        }

        Assert.Equal(401, noToken);
        Assert.Contains("bearer token", refusal, StringComparison.Ordinal);
        Assert.Equal(400, wrongShape);
        Assert.Contains("\"error\":\"input 'Input3': wrong shape, expected [1,1,28,28] (-1: any positive size), got [1,784].\"", shapeError, StringComparison.Ordinal);
        Assert.False(agent.HasExited, agent.Output);
    }

    public void Dispose() => _packages.Dispose();

    private static async Task WaitForPortAsync(AgentProcess agent, int port)
    {
        try
        {
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The agent did not listen on port {port} within 60 s; its output:\n{agent.Output}");
        }
    }

    /// <summary>Runs curl; returns the HTTP status and the body (curl appends the status on a last line of its own).</summary>
    private static async Task<(int Status, string Body)> CurlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-sS", "--max-time", "30", "-w", "\n%{http_code}" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("curl did not start; eng/install-deps.sh installs it.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"curl exited {process.ExitCode}: {errors}");
        var split = output.LastIndexOf('\n');
        return (int.Parse(output[(split + 1)..], System.Globalization.CultureInfo.InvariantCulture), output[..split]);
    }
}
