using Edge.Agent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Edge.Agent.Tests.Ota.Support;

/// <summary>An in-process agent with OTA enabled, trusting the test key and starting from an initial package.</summary>
internal static class OtaAgent
{
    public static Task<AgentHarness> StartAsync(string host, int port, string device, OtaPackages packages, string initialPackage, string dataDirectory, Action<OtaOptions>? configure = null, Action<IServiceCollection>? services = null) =>
        AgentHarness.StartAsync(host, port, device, o =>
        {
            o.Ota.Enabled = true;
            o.Ota.DataDirectory = dataDirectory;
            o.Ota.TrustedKeyFiles = [packages.PublicKeyPath];
            o.Ota.TrustedJobKeyFiles = [packages.OperatorPublicKeyPath];
            o.Ota.InitialPackage = initialPackage;
            o.Ota.DiskReserveBytes = 0;
            o.Ota.ChunkTimeout = TimeSpan.FromSeconds(2);
            configure?.Invoke(o.Ota);
        }, services);

    /// <summary>Runs the served model on the golden input and returns its output (fails the test if no model serves).</summary>
    public static float[] Infer(ActiveModel model)
    {
        var host = model.Host ?? throw new InvalidOperationException("No model is served.");
        var input = new float[784];
        var output = new float[10];
        host.Run<float, float>(input, output);
        return output;
    }
}
