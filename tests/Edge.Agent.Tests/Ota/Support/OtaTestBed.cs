using Edge.TestUtilities.Mqtt;

namespace Edge.Agent.Tests.Ota.Support;

/// <summary>A Mosquitto broker, the publisher, a package folder and an agent data folder for one test.</summary>
internal sealed class OtaTestBed : IAsyncDisposable
{
    private OtaTestBed(MosquittoBroker broker, OtaPublisher publisher, OtaPackages packages)
    {
        Broker = broker;
        Publisher = publisher;
        Packages = packages;
        DataDirectory = Path.Combine(packages.Root, "agent-data");
    }

    public MosquittoBroker Broker { get; }

    public OtaPublisher Publisher { get; }

    public OtaPackages Packages { get; }

    public string DataDirectory { get; }

    public static async Task<OtaTestBed> StartAsync(bool persistence = false)
    {
        var packages = new OtaPackages();
        var broker = await MosquittoBroker.StartAsync(persistence);
        var publisher = await OtaPublisher.StartAsync(broker.Host, broker.Port, packages.CreateJobSigner());
        return new OtaTestBed(broker, publisher, packages);
    }

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Broker.DisposeAsync();
        Packages.Dispose();
    }
}
