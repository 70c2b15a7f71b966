using System.Security.Cryptography;
using Edge.Optimizer.Packaging;
using Edge.Packaging;

namespace Edge.Optimizer.Search.Device;

/// <summary>
/// The chosen model's passport after a device or group search (docs/package-format.md, "Passport"): one entry per
/// hardware class measured, with the p50/p95 on that class against the model the device served (or the original),
/// and accuracy against the original. Written as <c>OUT.passport.json</c> (for <c>edge-optimize pack --passport</c>)
/// and into the signed package the devices measured, saved as <c>OUT.edgepkg</c>.
/// </summary>
internal static class AutoPassport
{
    public static PackagePassport? Build(AutoResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var chosen = result.Chosen;
        if (chosen.Devices.Count == 0)
        {
            return null;
        }

        var original = result.Outcomes[0];
        var accuracy = chosen.Top1 is { } top1
            ? new PackagePassportAccuracy { Metric = "top1", Value = top1, BaselineValue = original.Top1 ?? top1, Agreement = chosen.Agreement ?? 1 }
            : new PackagePassportAccuracy { Metric = "agreement", Value = chosen.Agreement ?? 1, BaselineValue = 1, Agreement = chosen.Agreement ?? 1 };
        var entries = chosen.Devices
            .GroupBy(d => d.Hardware.Key, StringComparer.Ordinal)
            .Select(g => g.First())
            .Select(d => new PackagePassportEntry
            {
                Hardware = new PackageHardwareClass
                {
                    Board = d.Hardware.Board,
                    CpuModel = d.Hardware.CpuModel,
                    Architecture = d.Hardware.Architecture,
                    IsaFlags = d.Hardware.IsaFlags,
                    OnnxRuntimeVersion = d.Hardware.OnnxRuntimeVersion,
                    ExecutionProvider = d.Hardware.ExecutionProvider,
                },
                Source = $"device:{d.Device}",
                MeasuredUtc = d.MeasuredUtc.ToUniversalTime(),
                P50Ms = d.P50Ms,
                P95Ms = Math.Max(d.P95Ms, d.P50Ms),
                Baseline = new PackageReference { Name = d.Baseline.Name, Version = d.Baseline.Version },
                BaselineP50Ms = d.BaselineP50Ms,
                BaselineP95Ms = Math.Max(d.BaselineP95Ms, d.BaselineP50Ms),
                LatencyRatio = Math.Round(d.P50Ms / d.BaselineP50Ms, 6),
                Accuracy = accuracy,
            })
            .ToList();
        return new PackagePassport { Entries = entries };
    }

    /// <summary>Writes the passport file and the signed package with the passport; returns the files written (none without device figures).</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(AutoResult result, CancellationToken cancellationToken)
    {
        if (Build(result) is not { } passport || result.Chosen.Package is not { } package || result.Options.Device?.SignKeyPath is not { } keyPath)
        {
            return [];
        }

        var stem = Path.ChangeExtension(result.Options.OutputPath, null);
        var passportPath = stem + ".passport.json";
        await PassportFile.WriteAsync(passport, passportPath, cancellationToken);
        using var key = ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(keyPath, cancellationToken));
        var packagePath = stem + ".edgepkg";
        await ModelPackager.AddPassportAsync(package, passport, key, packagePath, cancellationToken);
        return [passportPath, packagePath];
    }
}
