using System.Net.Sockets;
using Edge.Agent.Tests.Support;
using Edge.TestUtilities.Mqtt;

namespace Edge.Agent.Tests.LocalHttp;

/// <summary>The local server on a Unix domain socket only (no TCP address), including a stale socket file left by a killed agent.</summary>
public sealed class UnixSocketTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-http-sock-").FullName;

    [Fact]
    public async Task Healthz_OverUnixSocketWithStaleSocketFile_Answers200()
    {
        var path = Path.Combine(_directory, "agent.sock");
        // What a SIGKILLed agent leaves behind: the socket file, with nobody listening on it. (.NET's Socket removes
        // the file it bound when disposed, so another process binds it and exits.)
        using (var python = System.Diagnostics.Process.Start("/usr/bin/python3", ["-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", path]))
        {
            await python.WaitForExitAsync();
        }

        Assert.True(File.Exists(path), "the stale socket file should exist before the agent starts");
        await using var broker = await MosquittoBroker.StartAsync();
        await using var agent = await AgentHarness.StartAsync(broker.Host, broker.Port, "dev-sock", o =>
        {
            o.Http.Enabled = true;
            o.Http.UnixSocketPath = path;
        });
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri("http://localhost") };

        using var response = await client.GetAsync("/healthz");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == 200, $"{(int)response.StatusCode} {body}");
        Assert.Contains("\"loops\"", body, StringComparison.Ordinal);
        Assert.Contains(path, string.Join(" ", agent.Get<Edge.Agent.LocalHttp.LocalHttpServer>().Addresses), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
