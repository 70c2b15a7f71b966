using System.Security.Cryptography;
using Edge.Fleet.Publishing;
using Edge.Packaging;

namespace Edge.Fleet.Tests.Simulation;

/// <summary>
/// The operator key of the test fleets (one per test run): the tool signs job documents with it (<c>--job-key</c>,
/// <see cref="CreateSigner"/>) and the simulated devices accept only jobs it signed (<see cref="Trust"/>).
/// </summary>
internal static class OperatorKey
{
    private static readonly Lazy<(string PrivatePath, string PublicPath, PackageTrust Trust)> Files = new(Create);

    /// <summary>PEM private key for <c>--job-key</c>.</summary>
    public static string PrivateKeyPath => Files.Value.PrivatePath;

    /// <summary>PEM public key, as a device's <c>Ota:TrustedJobKeyFiles</c> entry.</summary>
    public static string PublicKeyPath => Files.Value.PublicPath;

    public static PackageTrust Trust => Files.Value.Trust;

    /// <summary>A signer with the operator key; the caller disposes it.</summary>
    public static JobSigner CreateSigner() => JobSigner.FromPem(File.ReadAllText(PrivateKeyPath), "the test operator key");

    private static (string, string, PackageTrust) Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var folder = Directory.CreateTempSubdirectory("edge-fleet-operator-").FullName;
        var privatePath = Path.Combine(folder, "operator.key.pem");
        var publicPath = Path.Combine(folder, "operator.pub.pem");
        File.WriteAllText(privatePath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(publicPath, key.ExportSubjectPublicKeyInfoPem());
        return (privatePath, publicPath, PackageTrust.FromPem(key.ExportSubjectPublicKeyInfoPem()));
    }
}
