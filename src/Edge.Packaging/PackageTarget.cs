namespace Edge.Packaging;

/// <summary>Where a package may run. A device matches when every constraint holds.</summary>
public sealed class PackageTarget
{
    /// <summary>
    /// CPU architectures, lowercase names of <see cref="System.Runtime.InteropServices.Architecture"/>
    /// (<c>x64</c>, <c>arm64</c>, <c>x86</c>, <c>arm</c>...). The device's architecture must be one of them.
    /// </summary>
    public IReadOnlyList<string> Architectures { get; init; } = [];

    /// <summary>
    /// ONNX Runtime execution providers the package was built and checked for, short lowercase names
    /// (<c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>...). At least one must be available on the device.
    /// </summary>
    public IReadOnlyList<string> ExecutionProviders { get; init; } = [];

    /// <summary>The oldest Edge SDK version (SemVer 2.0) that can run the package.</summary>
    public string MinimumSdkVersion { get; init; } = "";
}
