using Edge.Fleet.Deployments;
using Edge.Fleet.Inventory;
using Edge.Packaging;
using Edge.Protocol;

namespace Edge.Fleet.Tests.Deployments;

public sealed class PassportCheckTests
{
    private static readonly HardwareFacts Pi5 = new()
    {
        Board = "Raspberry Pi 5 Model B Rev 1.0", CpuModel = "Cortex-A76", Architecture = "arm64", IsaFlags = ["asimddp", "fphp"], OnnxRuntimeVersion = "1.22.0", ExecutionProvider = "cpu",
    };

    private static readonly HardwareFacts Xeon = Pi5 with { Board = "generic-x64", CpuModel = "Intel(R) Xeon(R)", Architecture = "x64", IsaFlags = ["avx2"] };

    /// <summary>An entry for <paramref name="facts"/>'s class, copied field by field as the optimizer does from a device's report.</summary>
    internal static PackagePassportEntry Entry(HardwareFacts facts, double ratio, string baselineVersion = "1.0.0") => new()
    {
        Hardware = new PackageHardwareClass
        {
            Board = facts.Board, CpuModel = facts.CpuModel, Architecture = facts.Architecture, IsaFlags = facts.IsaFlags,
            OnnxRuntimeVersion = facts.OnnxRuntimeVersion, ExecutionProvider = facts.ExecutionProvider,
        },
        Source = "device:pi-07",
        MeasuredUtc = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero),
        P50Ms = 4 * ratio,
        P95Ms = 8 * ratio,
        Baseline = new PackageReference { Name = "mnist", Version = baselineVersion },
        BaselineP50Ms = 4,
        BaselineP95Ms = 8,
        LatencyRatio = ratio,
    };

    private static DeviceRecord Device(string id, HardwareFacts? hardware, string served = "1.0.0") => new()
    {
        Fleet = "f1", Device = id, Online = true, Hardware = hardware, Models = [new ModelFact("mnist", served)],
    };

    [Fact]
    public void Check_FasterEntryForEveryClass_FindsNothing()
    {
        var passport = new PackagePassport { Entries = [Entry(Pi5, 0.5), Entry(Xeon, 0.8)] };

        Assert.Empty(PassportCheck.Check(passport, "mnist-2.0.0.edgepkg", [Device("a", Pi5), Device("b", Xeon)]));
    }

    [Fact]
    public void Check_ClassWithoutEntry_NamesDeviceClassAndPackage()
    {
        var passport = new PackagePassport { Entries = [Entry(Pi5, 0.5)] };

        var finding = Assert.Single(PassportCheck.Check(passport, "mnist-2.0.0.edgepkg", [Device("a", Pi5), Device("b", Xeon)]));

        Assert.Equal("b", finding.Device);
        Assert.Equal("device b (hardware class x64|generic-x64|Intel(R) Xeon(R)|avx2|1.22.0|cpu) has no passport entry in mnist-2.0.0.edgepkg", finding.Warning);
    }

    [Fact]
    public void Check_NoPassport_FindsEveryDevice()
    {
        var findings = PassportCheck.Check(null, "p.edgepkg", [Device("a", Pi5), Device("b", Xeon)]);

        Assert.Equal(["a", "b"], findings.Select(f => f.Device));
        Assert.All(findings, f => Assert.StartsWith("no passport entry for hardware class ", f.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_SlowerThanTheServedModel_GivesTheFigures()
    {
        var passport = new PackagePassport { Entries = [Entry(Pi5, 1.25)] };

        var finding = Assert.Single(PassportCheck.Check(passport, "p.edgepkg", [Device("a", Pi5)]));

        Assert.Equal(
            "device a (hardware class arm64|Raspberry Pi 5 Model B Rev 1.0|Cortex-A76|asimddp,fphp|1.22.0|cpu): p.edgepkg measured slower than mnist 1.0.0, the model it serves now "
            + "(p50 5 ms against 4 ms, ratio 1.25, measured on device:pi-07 at 2026-12-01 09:30 UTC)",
            finding.Warning);
    }

    [Fact]
    public void Check_SlowerThanAModelTheDeviceDoesNotServe_IsNoFinding()
    {
        // Measured against 0.9.0 (say, the original model); the device serves 1.0.0, so the ratio says nothing about it.
        var passport = new PackagePassport { Entries = [Entry(Pi5, 1.25, baselineVersion: "0.9.0")] };

        Assert.Empty(PassportCheck.Check(passport, "p.edgepkg", [Device("a", Pi5)]));
    }

    [Fact]
    public void Check_DeviceWithoutHardwareFacts_SaysItCannotBeChecked()
    {
        var passport = new PackagePassport { Entries = [Entry(Pi5, 0.5)] };

        var finding = Assert.Single(PassportCheck.Check(passport, "p.edgepkg", [Device("old", null)]));

        Assert.Equal("reports no hardware facts", finding.Reason);
        Assert.StartsWith("device old reports no hardware facts", finding.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_SeveralFindings_IsOneLineListingEachDevice()
    {
        var findings = PassportCheck.Check(new PackagePassport { Entries = [Entry(Pi5, 2)] }, "p.edgepkg", [Device("a", Pi5), Device("b", null)]);

        var refusal = PassportCheck.Refusal("p.edgepkg", findings);

        Assert.DoesNotContain('\n', refusal);
        Assert.StartsWith("--require-passport: refusing to deploy p.edgepkg to 2 device(s) its passport does not cover: a (measured slower than mnist 1.0.0", refusal, StringComparison.Ordinal);
        Assert.EndsWith("; b (reports no hardware facts); nothing was published.", refusal, StringComparison.Ordinal);
    }
}
