namespace Edge.Quickstart.Devices;

/// <summary>What one simulated device process needs: identity, broker, first package, trust (package key and operator job key), folders and the app's images.</summary>
internal sealed record DeviceArguments(
    string Fleet,
    string Device,
    int Port,
    string InitialPackage,
    string TrustedKey,
    string TrustedJobKey,
    string Folder,
    string AppData,
    string? PreprocessPath)
{
    public IReadOnlyList<string> ToArgs()
    {
        var args = new List<string>
        {
            "device", "--fleet", Fleet, "--id", Device, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--package", InitialPackage, "--trust", TrustedKey, "--job-trust", TrustedJobKey, "--folder", Folder, "--data", AppData,
        };
        if (PreprocessPath is not null)
        {
            args.AddRange(["--preprocess", PreprocessPath]);
        }

        return args;
    }
}
