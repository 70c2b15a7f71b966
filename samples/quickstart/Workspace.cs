namespace Edge.Quickstart;

/// <summary>The output folder's layout. Everything a run makes lands here and is kept for inspection.</summary>
internal sealed class Workspace
{
    public Workspace(string root)
    {
        Root = Path.GetFullPath(root);
        foreach (var folder in new[] { Models, Reports, Keys, Golden, Packages, DevicesRoot, FleetRoot })
        {
            Directory.CreateDirectory(folder);
        }
    }

    public string Root { get; }

    public string Models => Path.Combine(Root, "models");

    public string Reports => Path.Combine(Root, "reports");

    public string Keys => Path.Combine(Root, "keys");

    public string Golden => Path.Combine(Root, "golden");

    public string Packages => Path.Combine(Root, "packages");

    public string DevicesRoot => Path.Combine(Root, "devices");

    public string FleetRoot => Path.Combine(Root, "fleet");

    public string PrivateKey => Path.Combine(Keys, "edge-signing.key.pem");

    public string PublicKey => Path.Combine(Keys, "edge-signing.pub.pem");

    /// <summary>The operator key that signs job documents (edge-fleet --job-key); devices trust its public half.</summary>
    public string OperatorPrivateKey => Path.Combine(Keys, "operator.key.pem");

    public string OperatorPublicKey => Path.Combine(Keys, "operator.pub.pem");

    public string FleetState => Path.Combine(FleetRoot, "state.db");

    public string Summary => Path.Combine(Root, "summary.json");

    public string Model(string name) => Path.Combine(Models, name + ".onnx");

    public string Report(string name) => Path.Combine(Reports, name + ".json");
}
