using System.Formats.Tar;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Edge.TestUtilities;
using Microsoft.Extensions.Logging;

namespace Edge.Packaging.Tests;

/// <summary>
/// A temporary folder with a signing key, a real packed model (mnist) and helpers to rewrite a package's raw tar
/// entries, so each bad-input test changes exactly one thing in an otherwise valid package.
/// </summary>
internal sealed class PackageTestBed : IDisposable
{
    public PackageTestBed()
    {
        Root = Directory.CreateTempSubdirectory("edgepkg-test-").FullName;
        Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Trust = PackageTrust.FromPem(Key.ExportSubjectPublicKeyInfoPem());
    }

    public string Root { get; }

    public ECDsa Key { get; }

    public PackageTrust Trust { get; }

    /// <summary>Parent of the extraction folder; must be empty after any refused open.</summary>
    public string OutputParent => Path.Combine(Root, "out");

    public string ExtractionDirectory => Path.Combine(OutputParent, "extracted");

    public static string ModelSource => TestData.File("models/mnist/mnist.onnx");

    public static PackageDeviceDescription MatchingDevice { get; } =
        new(RuntimeInformation.ProcessArchitecture.ToString(), ["CPUExecutionProvider"], "0.1.0");

    public PackageOpenOptions Options(PackageDeviceDescription? device = null, bool allowUnsigned = false, long maxBytes = PackageOpenOptions.DefaultMaxPackageBytes, ILogger? logger = null) => new()
    {
        ExtractionDirectory = ExtractionDirectory,
        Device = device ?? MatchingDevice,
        AllowUnsignedPackagesForDevelopmentOnly = allowUnsigned,
        MaxPackageBytes = maxBytes,
        Logger = logger,
    };

    public static PackageManifest Manifest(IReadOnlyList<PackageFile> files, string name = "mnist", string version = "1.0.0") => new()
    {
        FormatVersion = PackageManifest.CurrentFormatVersion,
        Name = name,
        Version = version,
        CreatedUtc = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero),
        Tool = new PackageTool { Name = "edge-sdk-tests", Version = "0.1.0" },
        Target = new PackageTarget
        {
            Architectures = [RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()],
            ExecutionProviders = ["cpu"],
            MinimumSdkVersion = "0.1.0",
        },
        Files = files,
        Inputs = [new PackageTensorSignature { Name = "Input3", ElementType = "float32", Shape = [PackageDimension.Fixed(1), PackageDimension.Fixed(1), PackageDimension.Fixed(28), PackageDimension.Fixed(28)] }],
        Outputs = [new PackageTensorSignature { Name = "Plus214_Output_0", ElementType = "float32", Shape = [PackageDimension.Fixed(1), PackageDimension.Fixed(10)] }],
        Labels = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    };

    /// <summary>Packs mnist.onnx (plus <paramref name="extraFiles"/>) signed with <paramref name="keys"/> (default: <see cref="Key"/>).</summary>
    public async Task<string> PackAsync(IReadOnlyList<ECDsa>? keys = null, IReadOnlyList<PackageSourceFile>? extraFiles = null, string fileName = "mnist.edgepkg")
    {
        var path = Path.Combine(Root, fileName);
        var sources = new List<PackageSourceFile> { new("model/mnist.onnx", ModelSource, PackageFileRole.Model) };
        sources.AddRange(extraFiles ?? []);
        await PackageWriter.WriteAsync(path, files => Manifest(files), sources, keys ?? [Key], CancellationToken.None);
        return path;
    }

    public static List<RawEntry> ReadEntries(string packagePath)
    {
        using var stream = File.OpenRead(packagePath);
        using var reader = new TarReader(stream);
        var entries = new List<RawEntry>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            entries.Add(new RawEntry(entry.Name, data.ToArray(), entry.EntryType, entry.LinkName));
        }

        return entries;
    }

    public static void WriteEntries(string packagePath, IEnumerable<RawEntry> entries)
    {
        using var stream = File.Create(packagePath);
        using var writer = new TarWriter(stream, TarEntryFormat.Pax);
        foreach (var raw in entries)
        {
            var entry = new PaxTarEntry(raw.Type, raw.Name);
            if (raw.Type is TarEntryType.SymbolicLink or TarEntryType.HardLink)
            {
                entry.LinkName = raw.LinkName ?? "";
            }
            else if (raw.Type is TarEntryType.RegularFile)
            {
                entry.DataStream = new MemoryStream(raw.Data);
            }

            writer.WriteEntry(entry);
        }
    }

    /// <summary>Rewrites a package's entries through <paramref name="change"/> and returns the path of the new package.</summary>
    public string Rewrite(string packagePath, Func<List<RawEntry>, IEnumerable<RawEntry>> change, string fileName = "changed.edgepkg")
    {
        var path = Path.Combine(Root, fileName);
        WriteEntries(path, change(ReadEntries(packagePath)));
        return path;
    }

    /// <summary>Signs manifest bytes with this bed's key, giving the <c>manifest.sig</c> entry bytes.</summary>
    public byte[] Sign(byte[] manifest) => PackageSignatures.Sign(manifest, [Key]);

    /// <summary>A valid signed package whose manifest was produced by <paramref name="manifest"/> from the real file list.</summary>
    public async Task<string> PackWithManifestAsync(Func<PackageManifest, PackageManifest> manifest, string fileName = "custom.edgepkg")
    {
        var valid = await PackAsync();
        var model = ReadEntries(valid).Single(e => e.Name == "model/mnist.onnx");
        var files = PackageManifestSerializer.Parse(ReadEntries(valid)[0].Data).Files;
        var bytes = PackageManifestSerializer.Serialize(manifest(Manifest(files)));
        return Rewrite(valid, _ => [new RawEntry("manifest.json", bytes), new RawEntry("manifest.sig", Sign(bytes)), model], fileName);
    }

    public void AssertNothingLeftBehind()
    {
        Assert.False(Directory.Exists(ExtractionDirectory), $"The extraction directory '{ExtractionDirectory}' exists after a refused open.");
        var leftovers = Directory.Exists(OutputParent) ? Directory.GetFileSystemEntries(OutputParent) : [];
        Assert.True(leftovers.Length == 0, $"Left behind after a refused open: {string.Join(", ", leftovers)}");
    }

    public void Dispose()
    {
        Key.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
