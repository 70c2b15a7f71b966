using System.Runtime.CompilerServices;

namespace Edge.Fleet.Tests.Fixtures;

/// <summary>
/// Points <c>EDGE_FLEET_STATE</c> at a fresh file of this test run before any test starts, so a command run without
/// <c>--state</c> or <c>--store</c> never reads or upgrades the state file in the user's home folder (a newer branch's
/// schema there once failed a test that had nothing to do with it).
/// </summary>
internal static class IsolatedFleetState
{
    [ModuleInitializer]
    internal static void Isolate()
    {
        var folder = Directory.CreateTempSubdirectory("edge-fleet-tests-state-").FullName;
        Environment.SetEnvironmentVariable("EDGE_FLEET_STATE", Path.Combine(folder, "state.db"));
    }
}
