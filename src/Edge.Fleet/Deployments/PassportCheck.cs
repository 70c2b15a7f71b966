using System.Globalization;
using Edge.Fleet.Inventory;
using Edge.Packaging;

namespace Edge.Fleet.Deployments;

/// <summary>
/// What <c>edge-fleet deploy</c> checks before publishing: every target device's hardware class has an entry in the
/// package's passport, and an entry measured against the model the device serves now does not show the package
/// slower. Devices whose agent reports no hardware facts cannot be checked and are findings too. Warnings by default;
/// refusals with <c>--require-passport</c>.
/// </summary>
internal static class PassportCheck
{
    /// <param name="passport">The package's passport, or null when it has none.</param>
    /// <param name="package">How messages name the package (its file name).</param>
    /// <param name="devices">The devices the deployment targets.</param>
    /// <returns>One finding per device that is not covered, in the order of <paramref name="devices"/>.</returns>
    public static IReadOnlyList<PassportFinding> Check(PackagePassport? passport, string package, IEnumerable<DeviceRecord> devices)
    {
        var findings = new List<PassportFinding>();
        foreach (var device in devices)
        {
            if (device.Hardware is not { } hardware)
            {
                findings.Add(new PassportFinding(
                    device.Device,
                    $"device {device.Device} reports no hardware facts (its agent predates hardware classes, or it has never reported a status); {package}'s passport cannot vouch for it",
                    "reports no hardware facts"));
                continue;
            }

            var key = hardware.Key;
            if (passport?.Find(key) is not { } entry)
            {
                findings.Add(new PassportFinding(
                    device.Device,
                    $"device {device.Device} (hardware class {key}) has no passport entry in {package}",
                    $"no passport entry for hardware class {key}"));
                continue;
            }

            var served = device.Models.Any(m => m.Name == entry.Baseline.Name && m.Version == entry.Baseline.Version);
            if (served && entry.LatencyRatio > 1)
            {
                var figures = string.Create(CultureInfo.InvariantCulture,
                    $"p50 {entry.P50Ms:0.###} ms against {entry.BaselineP50Ms:0.###} ms, ratio {entry.LatencyRatio:0.###}, measured on {entry.Source} at {entry.MeasuredUtc:yyyy-MM-dd HH:mm} UTC");
                findings.Add(new PassportFinding(
                    device.Device,
                    $"device {device.Device} (hardware class {key}): {package} measured slower than {entry.Baseline.Name} {entry.Baseline.Version}, the model it serves now ({figures})",
                    $"measured slower than {entry.Baseline.Name} {entry.Baseline.Version}, which it serves ({figures})"));
            }
        }

        return findings;
    }

    /// <summary>The one-line refusal of <c>--require-passport</c>, listing every device and why.</summary>
    public static string Refusal(string package, IReadOnlyList<PassportFinding> findings) =>
        $"--require-passport: refusing to deploy {package} to {findings.Count} device(s) its passport does not cover: "
        + string.Join("; ", findings.Select(f => $"{f.Device} ({f.Reason})"))
        + "; nothing was published.";
}
