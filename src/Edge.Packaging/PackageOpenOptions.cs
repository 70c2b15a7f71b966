using Microsoft.Extensions.Logging;

namespace Edge.Packaging;

/// <summary>How <see cref="ModelPackage"/> opens and verifies a package. The defaults are the safe choice for production.</summary>
public sealed class PackageOpenOptions
{
    /// <summary>Default for <see cref="MaxPackageBytes"/>: 32 GiB.</summary>
    public const long DefaultMaxPackageBytes = 32L * 1024 * 1024 * 1024;

    /// <summary>
    /// Where to extract the package. It must not exist yet; the package is extracted beside it into a staging folder
    /// and renamed into place only once everything verified, so it never holds a partial package, and it stays
    /// after <see cref="ModelPackage.Dispose"/>. When null (the default), a new folder under the system temp
    /// directory is used and deleted by <see cref="ModelPackage.Dispose"/>.
    /// </summary>
    public string? ExtractionDirectory { get; init; }

    /// <summary>
    /// Lets a package without <c>manifest.sig</c> open, with a warning logged. Default false. Only for local
    /// development: an unsigned package proves nothing about who made it. A package that IS signed must still be
    /// signed by a trusted key.
    /// </summary>
    public bool AllowUnsignedPackagesForDevelopmentOnly { get; init; }

    /// <summary>
    /// The device the package's target is checked against; required unless <see cref="SkipTargetCheck"/> is set. On
    /// the device itself pass Edge.Sdk's <c>PackageDeviceDescription.Current</c>; build one to prepare or inspect a
    /// package for another device. Default null, which <see cref="ModelPackage"/> refuses with an
    /// <see cref="ArgumentException"/> while the target is checked (this library has no ONNX Runtime to describe
    /// the current device itself).
    /// </summary>
    public PackageDeviceDescription? Device { get; init; }

    /// <summary>
    /// The most bytes of file data a package may hold (the manifest's declared sizes and the bytes actually read).
    /// Default <see cref="DefaultMaxPackageBytes"/>; must be positive.
    /// </summary>
    public long MaxPackageBytes { get; init; } = DefaultMaxPackageBytes;

    /// <summary>Receives the unsigned-package warning. Default null: nothing is logged.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// Skips the target check (architecture, execution providers, minimum SDK version); signature, schema and every
    /// file's size and hash are still checked. For workstation tools that verify or publish packages built for other
    /// devices. Default false.
    /// </summary>
    public bool SkipTargetCheck { get; init; }

    internal void Validate()
    {
        var errors = new List<string>();
        if (MaxPackageBytes <= 0)
        {
            errors.Add($"MaxPackageBytes is {MaxPackageBytes}, expected a positive number of bytes");
        }

        if (Device is null && !SkipTargetCheck)
        {
            errors.Add("Device is null while the target is checked; pass the device the package must fit (Edge.Sdk: PackageDeviceDescription.Current) or set SkipTargetCheck");
        }

        if (ExtractionDirectory is { Length: 0 })
        {
            errors.Add("ExtractionDirectory is empty; pass null for a temporary folder or a path that does not exist yet");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(PackageOpenOptions)}: {string.Join("; ", errors)}.");
        }
    }
}
