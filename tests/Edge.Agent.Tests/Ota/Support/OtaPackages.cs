using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Edge.Onnx.Protobuf;
using Edge.Packaging;
using Edge.Sdk.Inference;
using Google.Protobuf;

namespace Edge.Agent.Tests.Ota.Support;

/// <summary>
/// Signed packages of <see cref="OtaModels"/> variants in a temp folder, each with one golden sample: mnist's
/// test_data_set_0 input and the output that a reference model really produces on it (run through EdgeSession).
/// </summary>
internal sealed class OtaPackages : IDisposable
{
    public OtaPackages()
    {
        Root = Directory.CreateTempSubdirectory("edge-ota-pkg-").FullName;
        Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        PublicKeyPath = Path.Combine(Root, "trusted.pub.pem");
        File.WriteAllText(PublicKeyPath, Key.ExportSubjectPublicKeyInfoPem());
        OperatorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        OperatorPublicKeyPath = Path.Combine(Root, "operator.pub.pem");
        File.WriteAllText(OperatorPublicKeyPath, OperatorKey.ExportSubjectPublicKeyInfoPem());
    }

    public string Root { get; }

    public ECDsa Key { get; }

    public string PublicKeyPath { get; }

    /// <summary>The operator key that signs job documents (a different key from the package key <see cref="Key"/>).</summary>
    public ECDsa OperatorKey { get; }

    /// <summary>The agent's <c>Ota:TrustedJobKeyFiles</c> entry.</summary>
    public string OperatorPublicKeyPath { get; }

    /// <summary>A signer for job documents with <see cref="OperatorKey"/>; the caller disposes it.</summary>
    public Edge.Fleet.Publishing.JobSigner CreateJobSigner() => Edge.Fleet.Publishing.JobSigner.FromPem(OperatorKey.ExportPkcs8PrivateKeyPem(), "the test operator key");

    /// <summary>
    /// Packs variant (<paramref name="rounds"/>, <paramref name="drift"/>) as <paramref name="version"/>; the golden
    /// output comes from the variant with <paramref name="goldenDrift"/> (default: the same model, so the gate passes).
    /// <paramref name="negate"/> negates its scores (its golden output too, so it passes the gate);
    /// <paramref name="sign"/> false leaves it unsigned; <paramref name="corruptModel"/> packs bytes that are not ONNX as its model.
    /// </summary>
    public async Task<string> BuildAsync(string version, int rounds, float drift = 0, float? goldenDrift = null, long paddingBytes = 0, ECDsa? signer = null, string name = "mnist", string[]? architectures = null, bool failWhenFirstPixelIsSet = false, bool sign = true, bool corruptModel = false, bool negate = false)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Root, $"{name}-{version}-{Guid.NewGuid():N}")).FullName;
        var model = OtaModels.Write(Path.Combine(folder, "model.onnx"), rounds, drift, paddingBytes, failWhenFirstPixelIsSet, negate);
        var reference = goldenDrift is { } other && other != drift ? OtaModels.Write(Path.Combine(folder, "reference.onnx"), rounds, other) : model;
        var expected = Path.Combine(folder, "output_0.pb");
        await File.WriteAllBytesAsync(expected, RunReference(reference));
        if (corruptModel)
        {
            // Signed and hashed like any model, but not ONNX: it passes every package check and fails to load.
            await File.WriteAllBytesAsync(model, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))]);
        }
        var output = Path.Combine(Root, $"{name}-{version}-{Guid.NewGuid():N}.edgepkg");
        var sources = new List<PackageSourceFile>
        {
            new("model/mnist.onnx", model, PackageFileRole.Model),
            new("golden/sample0/input_0.pb", OtaModels.GoldenInputPath, PackageFileRole.Golden),
            new("golden/sample0/output_0.pb", expected, PackageFileRole.Golden),
        };
        await PackageWriter.WriteAsync(output, files => Manifest(files, name, version, architectures), sources, sign ? [signer ?? Key] : [], CancellationToken.None);
        return output;
    }

    public void Dispose()
    {
        Key.Dispose();
        OperatorKey.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static byte[] RunReference(string modelPath)
    {
        var input = TensorProto.Parser.ParseFrom(File.ReadAllBytes(OtaModels.GoldenInputPath));
        var pixels = MemoryMarshal.Cast<byte, float>(input.RawData.Span).ToArray();
        var output = new float[10];
        using (var session = EdgeSession.Load(modelPath, new EdgeSessionOptions { Provider = ExecutionProvider.Cpu, Cpu = { IntraOpThreads = 1 } }))
        {
            session.Run<float, float>(pixels, output);
        }

        var bytes = new byte[40];
        Buffer.BlockCopy(output, 0, bytes, 0, 40);
        return new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, Dims = { 1, 10 }, RawData = ByteString.CopyFrom(bytes) }.ToByteArray();
    }

    private static PackageManifest Manifest(IReadOnlyList<PackageFile> files, string name, string version, string[]? architectures) => new()
    {
        FormatVersion = PackageManifest.CurrentFormatVersion,
        Name = name,
        Version = version,
        CreatedUtc = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero),
        Tool = new PackageTool { Name = "edge-agent-tests", Version = "0.1.0" },
        Target = new PackageTarget
        {
            Architectures = architectures ?? [RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()],
            ExecutionProviders = ["cpu"],
            MinimumSdkVersion = "0.1.0",
        },
        Files = files,
        Inputs = [new PackageTensorSignature { Name = OtaModels.InputName, ElementType = "float32", Shape = [PackageDimension.Fixed(1), PackageDimension.Fixed(1), PackageDimension.Fixed(28), PackageDimension.Fixed(28)] }],
        Outputs = [new PackageTensorSignature { Name = OtaModels.OutputName, ElementType = "float32", Shape = [PackageDimension.Fixed(1), PackageDimension.Fixed(10)] }],
        Labels = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        Golden = [new PackageGoldenSample { Name = "sample0", Inputs = ["golden/sample0/input_0.pb"], Outputs = ["golden/sample0/output_0.pb"], Atol = 1e-3, Rtol = 1e-3 }],
    };
}
