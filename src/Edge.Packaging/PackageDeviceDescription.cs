namespace Edge.Packaging;

/// <summary>
/// The facts about a device that a package's target is checked against. Edge.Sdk's
/// <c>PackageDeviceDescription.Current</c> (an extension, since listing execution providers needs ONNX Runtime)
/// describes this process; tests and tools that prepare packages for another device build their own.
/// </summary>
public sealed class PackageDeviceDescription
{
    /// <summary>Creates a description.</summary>
    /// <param name="architecture">CPU architecture, for example <c>x64</c> or <c>arm64</c> (any case).</param>
    /// <param name="executionProviders">Available ONNX Runtime execution providers, short (<c>cuda</c>) or ORT names (<c>CUDAExecutionProvider</c>).</param>
    /// <param name="sdkVersion">The Edge SDK version on the device (SemVer 2.0).</param>
    public PackageDeviceDescription(string architecture, IEnumerable<string> executionProviders, string sdkVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(architecture);
        ArgumentNullException.ThrowIfNull(executionProviders);
        if (!SemanticVersion.TryParse(sdkVersion, out _))
        {
            throw new ArgumentException($"SDK version '{sdkVersion}' is not a Semantic Versioning 2.0.0 version.", nameof(sdkVersion));
        }

        Architecture = architecture.ToLowerInvariant();
        ExecutionProviders = executionProviders.Select(NormalizeProvider).Distinct(StringComparer.Ordinal).ToArray();
        SdkVersion = sdkVersion;
    }

    /// <summary>
    /// This Edge release's version as <c>MAJOR.MINOR.PATCH</c>: the version of this assembly, which every Edge
    /// assembly (Edge.Sdk included) shares, so it is the SDK version a device reports.
    /// </summary>
    public static string CurrentSdkVersion
    {
        get
        {
            var version = typeof(PackageDeviceDescription).Assembly.GetName().Version ?? new Version(0, 0, 0);
            return $"{version.Major}.{version.Minor}.{Math.Max(version.Build, 0)}";
        }
    }

    /// <summary>Lowercase CPU architecture, for example <c>x64</c>.</summary>
    public string Architecture { get; }

    /// <summary>Available execution providers, short lowercase names such as <c>cpu</c>.</summary>
    public IReadOnlyList<string> ExecutionProviders { get; }

    /// <summary>The Edge SDK version on the device.</summary>
    public string SdkVersion { get; }

    /// <summary>Turns an ORT provider name (<c>CUDAExecutionProvider</c>) or short name (<c>CUDA</c>) into the manifest form (<c>cuda</c>).</summary>
    public static string NormalizeProvider(string provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        const string suffix = "executionprovider";
        var lower = provider.Trim().ToLowerInvariant();
        return lower.EndsWith(suffix, StringComparison.Ordinal) && lower.Length > suffix.Length ? lower[..^suffix.Length] : lower;
    }

    /// <summary>Returns every way <paramref name="target"/> fails to match this device; empty when it matches.</summary>
    internal IReadOnlyList<string> Mismatches(PackageTarget target)
    {
        var problems = new List<string>();
        if (!target.Architectures.Contains(Architecture, StringComparer.Ordinal))
        {
            problems.Add($"architecture: the package targets [{string.Join(", ", target.Architectures)}], this device is {Architecture}");
        }

        if (!target.ExecutionProviders.Any(p => ExecutionProviders.Contains(p, StringComparer.Ordinal)))
        {
            problems.Add($"execution providers: the package needs one of [{string.Join(", ", target.ExecutionProviders)}], this device has [{string.Join(", ", ExecutionProviders)}]");
        }

        if (SemanticVersion.TryParse(target.MinimumSdkVersion, out var minimum)
            && SemanticVersion.TryParse(SdkVersion, out var actual)
            && actual!.CompareTo(minimum) < 0)
        {
            problems.Add($"SDK version: the package needs {target.MinimumSdkVersion} or newer, this device has {SdkVersion}");
        }

        return problems;
    }
}
