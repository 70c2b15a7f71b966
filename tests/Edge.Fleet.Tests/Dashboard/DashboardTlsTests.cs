using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Edge.Fleet.Dashboard;
using Edge.Fleet.Deployments;
using Edge.Fleet.Storage;

namespace Edge.Fleet.Tests.Dashboard;

/// <summary>
/// The dashboard over https with client certificates: a real Kestrel with a server certificate from a test CA, and
/// HttpClient presenting a client certificate from that CA, from another CA, or none.
/// </summary>
public sealed class DashboardTlsTests : IAsyncLifetime, IDisposable
{
    private const string Token = "tls-test-token-0123456789";
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-dashboard-tls-").FullName;
    private TestCertificateAuthority _ca = null!;
    private TestCertificateAuthority _otherCa = null!;
    private IFleetStore _store = null!;

    public async Task InitializeAsync()
    {
        _ca = new TestCertificateAuthority(_folder, "fleet-ca");
        _otherCa = new TestCertificateAuthority(_folder, "other-ca");
        _store = await FleetStore.OpenAsync(StoreSpec.Sqlite(Path.Combine(_folder, "state.db")), TimeProvider.System, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    public void Dispose()
    {
        _ca?.Dispose();
        _otherCa?.Dispose();
    }

    [Fact]
    public async Task ClientCertificateFromTheCa_MayActWithoutToken_OthersAreRefused()
    {
        await using var server = await StartAsync(token: null);
        await CreateRunningAsync("dep-tls-1");
        using var trusted = _ca.IssueClient("operator-1");
        using var stranger = _otherCa.IssueClient("operator-2");

        var (strangerStatus, strangerText) = await PostAsync(server.Address, "/api/rollouts/dep-tls-1/pause", stranger);
        var (noneStatus, noneText) = await PostAsync(server.Address, "/api/rollouts/dep-tls-1/pause", null);
        var (trustedStatus, trustedText) = await PostAsync(server.Address, "/api/rollouts/dep-tls-1/pause", trusted);

        Assert.Equal(HttpStatusCode.Unauthorized, strangerStatus);
        Assert.StartsWith("the client certificate is not signed by the dashboard's client CA", strangerText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, noneStatus);
        Assert.StartsWith("no client certificate was presented, and the dashboard accepts no bearer token", noneText, StringComparison.Ordinal);
        Assert.True(trustedStatus == HttpStatusCode.OK, trustedText);
        Assert.Equal(RolloutStates.Paused, (await _store.Deployments.GetAsync("dep-tls-1", CancellationToken.None)).State);

        using var client = Client(trusted);
        var page = await client.GetStringAsync(new Uri(server.Address, "/rollouts/dep-tls-1"));
        Assert.Contains("Actions allowed by your client certificate CN=operator-1", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAValidCertificate_TheTokenIsNeeded()
    {
        await using var server = await StartAsync(Token);
        await CreateRunningAsync("dep-tls-2");
        using var stranger = _otherCa.IssueClient("operator-3");

        var (noTokenStatus, noTokenText) = await PostAsync(server.Address, "/api/rollouts/dep-tls-2/pause", stranger);
        var (tokenStatus, tokenText) = await PostAsync(server.Address, "/api/rollouts/dep-tls-2/pause", null, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, noTokenStatus);
        Assert.Equal("the client certificate is not signed by the dashboard's client CA (or has expired), and missing bearer token: send 'Authorization: Bearer TOKEN'.\n", noTokenText);
        Assert.True(tokenStatus == HttpStatusCode.OK, tokenText);
    }

    [Fact]
    public void Validate_BadTlsSettings_ListsEveryProblem()
    {
        var (certificate, _) = _ca.IssueServer("server-a");
        var (_, otherKey) = _ca.IssueServer("server-b");
        var missing = Path.Combine(_folder, "missing.crt");

        var mismatched = new DashboardOptions { Listen = "https://127.0.0.1:0", TlsCertificate = certificate, TlsKey = otherKey, ClientCa = missing }.Validate();
        var plain = new DashboardOptions { Listen = "http://127.0.0.1:0", TlsCertificate = missing, ClientCa = _ca.CertificatePath }.Validate();
        var httpsWithout = new DashboardOptions { Listen = "https://127.0.0.1:0" }.Validate();

        Assert.Equal(2, mismatched.Count);
        Assert.StartsWith("--tls-cert/--tls-key: ", mismatched[0], StringComparison.Ordinal);
        Assert.Equal($"--client-ca: '{missing}' does not exist.", mismatched[1]);
        Assert.Equal(
        [
            "--tls-cert and --tls-key go together; got only --tls-cert.",
            "--tls-cert: the listen address 'http://127.0.0.1:0' must be an https URL to use a server certificate.",
            "--client-ca: client certificates need an https listen address with --tls-cert and --tls-key; 'http://127.0.0.1:0' is not https.",
            $"--tls-cert: '{missing}' does not exist.",
        ], plain);
        Assert.Equal(["--listen: 'https://127.0.0.1:0' is https, which needs the server certificate: give --tls-cert and --tls-key."], httpsWithout);
    }

    private async Task<DashboardServer> StartAsync(string? token)
    {
        var (certificate, key) = _ca.IssueServer("dashboard");
        var options = new DashboardOptions { Listen = "https://127.0.0.1:0", Token = token, TlsCertificate = certificate, TlsKey = key, ClientCa = _ca.CertificatePath };
        return await DashboardServer.StartAsync(_store, options, TimeProvider.System, CancellationToken.None);
    }

    private async Task<(HttpStatusCode Status, string Text)> PostAsync(Uri server, string path, X509Certificate2? certificate, string? token = null)
    {
        using var client = Client(certificate);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path));
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A client that trusts only the test CA for the server and presents <paramref name="certificate"/>, if any.</summary>
    private HttpClient Client(X509Certificate2? certificate)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, errors) =>
        {
            if (presented is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(_ca.Certificate);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var server = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
            return chain.Build(server);
        };
        if (certificate is not null)
        {
            handler.SslOptions.ClientCertificates = [certificate];
        }

        return new HttpClient(handler);
    }

    private Task CreateRunningAsync(string id) => _store.Deployments.CreateAsync(
        new DeploymentRecord
        {
            Id = id,
            PackagePath = "/packages/mnist-2.0.0.edgepkg",
            PackageName = "mnist",
            PackageVersion = "2.0.0",
            Group = "lobby",
            Options = new DeploymentOptions(),
            State = RolloutStates.Running,
        },
        [($"{id}-device", 0, "1.0.0")],
        CancellationToken.None);
}
