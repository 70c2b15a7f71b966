namespace Edge.Quickstart.Devices;

/// <summary>What one simulated device process needs: identity, broker, first package, trust, folders and the app's images.</summary>
internal sealed record DeviceArguments(
    string Fleet,
    string Device,
    int Port,
    string InitialPackage,
    string TrustedKey,
    string Folder,
    string AppData,
    string? PreprocessPath)
{
    public IReadOnlyList<string> ToArgs()
    {
        var args = new List<string>
        {
            "device", "--fleet", Fleet, "--id", Device, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--package", InitialPackage, "--trust", TrustedKey, "--folder", Folder, "--data", AppData,
        };
        if (PreprocessPath is not null)
        {
            args.AddRange(["--preprocess", PreprocessPath]);
        }

        return args;
    }
}
