using Edge.Agent.LocalHttp;

namespace Edge.Agent.Tests.LocalHttp;

public sealed class LocalHttpOptionsValidatorTests
{
    [Fact]
    public void Validate_ManyErrors_ListsEveryOneAtOnce()
    {
        var options = new EdgeAgentOptions
        {
            Http = new LocalHttpOptions
            {
                Enabled = true,
                Urls = ["http://0.0.0.0:8780", "https://127.0.0.1:8443", "http://device.local:80", "http://127.0.0.1", "http://127.0.0.1:81/v2"],
                UnixSocketPath = "relative.sock",
                MaxRequestBodyBytes = 10,
                RequestsPerSecond = 0,
                MaxConnections = 0,
                InferenceRoutes = true,
            },
            Health = new HealthOptions { OutboxDegradedRecords = 500, OutboxUnhealthyRecords = 100, OtaJobStuckAfter = TimeSpan.FromSeconds(5) },
        };

        var result = new LocalHttpOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToArray();
        string[] expected =
        [
            "Http:BearerToken is required because Http:Urls listens on a non-loopback address",
            "Http:Urls:1 'https://127.0.0.1:8443' is not an http://IP:PORT address",
            "Http:Urls:2 'http://device.local:80' names host 'device.local'; expected an IP address or localhost",
            "Http:Urls:3 'http://127.0.0.1' has no port",
            "Http:Urls:4 'http://127.0.0.1:81/v2' has a path",
            "Http:UnixSocketPath 'relative.sock' must be an absolute path",
            "Http:InferenceRoutes needs Ota:Enabled",
            "Http:MaxRequestBodyBytes must be between 1024 and 1073741824; got 10",
            "Http:RequestsPerSecond must be between 1 and 100000; got 0",
            "Http:MaxConnections must be between 1 and 10000; got 0",
            "Health:OutboxUnhealthyRecords (100) must not be less than Health:OutboxDegradedRecords (500)",
            "Health:OtaJobStuckAfter must be between 00:01:00 and 30.00:00:00; got 00:00:05",
        ];
        foreach (var text in expected)
        {
            Assert.True(failures.Any(f => f.Contains(text, StringComparison.Ordinal)), $"'{text}' not among: {string.Join(" | ", failures)}");
        }

        Assert.Equal(expected.Length, failures.Length);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8780")]
    [InlineData("http://localhost:8780")]
    [InlineData("http://[::1]:8780")]
    [InlineData("http://127.0.0.1:0")]
    public void Validate_LoopbackWithoutToken_Succeeds(string url)
    {
        var options = new EdgeAgentOptions { Http = new LocalHttpOptions { Enabled = true, Urls = [url] } };

        Assert.True(new LocalHttpOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8780")]
    [InlineData("http://[::]:8780")]
    [InlineData("http://192.168.1.20:8780")]
    public void Validate_NonLoopback_NeedsALongEnoughToken(string url)
    {
        var withoutToken = new EdgeAgentOptions { Http = new LocalHttpOptions { Enabled = true, Urls = [url] } };
        var shortToken = new EdgeAgentOptions { Http = new LocalHttpOptions { Enabled = true, Urls = [url], BearerToken = "short" } };
        var goodToken = new EdgeAgentOptions { Http = new LocalHttpOptions { Enabled = true, Urls = [url], BearerToken = "0123456789abcdef" } };
        var validator = new LocalHttpOptionsValidator();

        Assert.Contains(validator.Validate(null, withoutToken).Failures!, f => f.StartsWith("Http:BearerToken is required", StringComparison.Ordinal));
        Assert.Contains(validator.Validate(null, shortToken).Failures!, f => f.StartsWith("Http:BearerToken must be at least 16 characters", StringComparison.Ordinal));
        Assert.True(validator.Validate(null, goodToken).Succeeded);
    }

    [Fact]
    public void Validate_Disabled_IgnoresHttpSettings()
    {
        var options = new EdgeAgentOptions { Http = new LocalHttpOptions { Urls = ["http://0.0.0.0:1"], MaxConnections = 0 } };

        Assert.True(new LocalHttpOptionsValidator().Validate(null, options).Succeeded);
    }
}
