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
    private static string? _sharedFolder;

    /// <summary>
    /// Keeps the key in <paramref name="folder"/>, so that processes given the same folder (the devices and the tool of
    /// a benchmark) share one key: the first creates it, the others read it. Call before the key is first used.
    /// </summary>
    public static void UseFolder(string folder) => _sharedFolder = folder;

    /// <summary>PEM private key for <c>--job-key</c>.</summary>
    public static string PrivateKeyPath => Files.Value.PrivatePath;

    /// <summary>PEM public key, as a device's <c>Ota:TrustedJobKeyFiles</c> entry.</summary>
    public static string PublicKeyPath => Files.Value.PublicPath;

    public static PackageTrust Trust => Files.Value.Trust;

    /// <summary>A signer with the operator key; the caller disposes it.</summary>
    public static JobSigner CreateSigner() => JobSigner.FromPem(File.ReadAllText(PrivateKeyPath), "the test operator key");

    private static (string, string, PackageTrust) Create()
    {
        var folder = _sharedFolder ?? Directory.CreateTempSubdirectory("edge-fleet-operator-").FullName;
        var privatePath = Path.Combine(folder, "operator.key.pem");
        var publicPath = Path.Combine(folder, "operator.pub.pem");
        try
        {
            // CreateNew: of processes sharing the folder, exactly one writes the key.
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using (var claim = new FileStream(privatePath + ".lock", FileMode.CreateNew))
            {
            }

            File.WriteAllText(privatePath, key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(publicPath + ".partial", key.ExportSubjectPublicKeyInfoPem());
            File.Move(publicPath + ".partial", publicPath);
        }
        catch (IOException) when (_sharedFolder is not null)
        {
            // Another process is writing it: the public key appears last.
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!File.Exists(publicPath) && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(50);
            }
        }

        return (privatePath, publicPath, PackageTrust.FromPem(File.ReadAllText(publicPath)));
    }
}
