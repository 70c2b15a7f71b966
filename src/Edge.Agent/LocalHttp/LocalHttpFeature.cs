using System.Diagnostics.CodeAnalysis;

namespace Edge.Agent.LocalHttp;

/// <summary>
/// Whether this build carries the local HTTP server. A Native AOT publish leaves it out unless published with
/// <c>-p:EdgeLocalHttp=true</c>: Kestrel compiled into the binary costs about 3 MiB of RSS even while the server is
/// off (measured in bench/results/local-http.json), which the agent's 20 MB budget cannot take. The switch is a
/// constant to the AOT compiler, so with it off none of the server's code is in the binary. JIT builds (tests,
/// <c>dotnet edge-agent.dll</c>, apps that embed the agent) always carry it.
/// </summary>
internal static class LocalHttpFeature
{
    public const string SwitchName = "Edge.Agent.LocalHttp.IsSupported";

    [FeatureSwitchDefinition(SwitchName)]
    public static bool IsSupported => !AppContext.TryGetSwitch(SwitchName, out var supported) || supported;
}
