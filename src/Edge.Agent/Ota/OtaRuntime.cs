using Edge.Agent.Devices;
using Edge.Agent.Hosting;
using Edge.Agent.Ota.Jobs;
using Edge.Agent.Ota.Shadow;
using Edge.Agent.Ota.Slots;
using Edge.Agent.Ota.Transfer;
using Edge.Packaging;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Ota;

/// <summary>The OTA state shared by the service and the job runner: storage, trust, limits, the served model and the reporter.</summary>
internal sealed class OtaRuntime
{
    private readonly Lazy<PackageDeviceDescription> _device;

    public OtaRuntime(
        IOptions<EdgeAgentOptions> options,
        ActiveModel model,
        OtaStateReporter reporter,
        IDiskSpace diskSpace,
        Lazy<PackageDeviceDescription> device,
        DeviceFacts facts,
        TimeProvider time,
        IAvailableMemory memory,
        ShadowStatus shadow)
    {
        Memory = memory;
        Shadow = shadow;
        Hardware = facts.Hardware ?? throw new ArgumentException("The device facts carry no hardware class.", nameof(facts));
        Options = options.Value.Ota;
        Model = model;
        Reporter = reporter;
        DiskSpace = diskSpace;
        _device = device;
        Time = time;
        // With OTA off the folder may be unset; nothing is read or written there unless OTA is enabled.
        var data = string.IsNullOrWhiteSpace(Options.DataDirectory) ? Path.Combine(AppContext.BaseDirectory, "ota") : Options.DataDirectory;
        Slots = new SlotStore(data);
        Journal = new JobJournal(data);
        DownloadsFolder = Path.Combine(Slots.Root, "downloads");
        Budget = new DataBudget(Options.DailyDataBudgetBytes, data, time);
        Throttle = new TransferThrottle(Options.BandwidthLimitBytesPerSecond, time);
    }

    public OtaOptions Options { get; }

    public ActiveModel Model { get; }

    public OtaStateReporter Reporter { get; }

    public IDiskSpace DiskSpace { get; }

    /// <summary>Memory available for a second session, for the shadow's check before download.</summary>
    public IAvailableMemory Memory { get; }

    /// <summary>The running shadow's figures, which telemetry samples carry.</summary>
    public ShadowStatus Shadow { get; }

    /// <summary>
    /// This device as packages see it. Read only when a job or package is checked: describing it asks ONNX Runtime
    /// for its providers, which loads the native library (about 11 MB resident), and an agent without a model or
    /// job should not carry that.
    /// </summary>
    public PackageDeviceDescription Device => _device.Value;

    public TimeProvider Time { get; }

    /// <summary>This device's hardware class, as its birth message reports it; a bench result carries it.</summary>
    public HardwareFacts Hardware { get; }

    public SlotStore Slots { get; }

    public JobJournal Journal { get; }

    public string DownloadsFolder { get; }

    public DataBudget Budget { get; }

    public TransferThrottle Throttle { get; }

    public static string AgentVersion => DeviceFactsReader.AgentVersion;

    /// <summary>Keys accepted for package signatures; loaded at start.</summary>
    public PackageTrust Trust { get; private set; } = PackageTrust.None;

    /// <summary>Operator keys accepted for job signatures (<see cref="OtaOptions.TrustedJobKeyFiles"/>); loaded at start.</summary>
    public PackageTrust JobTrust { get; private set; } = PackageTrust.None;

    public async Task LoadTrustAsync(CancellationToken cancellationToken)
    {
        JobTrust = Options.TrustedJobKeyFiles.Count > 0 ? await PackageTrust.FromPemFilesAsync(Options.TrustedJobKeyFiles, cancellationToken) : PackageTrust.None;
        Trust = Options.TrustedKeyFiles.Count > 0 ? await PackageTrust.FromPemFilesAsync(Options.TrustedKeyFiles, cancellationToken) : PackageTrust.None;
    }
}
