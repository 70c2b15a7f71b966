using System.Text.Json;
using Edge.Packaging;

namespace Edge.Agent.Ota.Slots;

/// <summary>
/// A/B slots under <c>{data}/slots/{a,b}</c> and the pointer <c>{data}/active.json</c>. A package is staged only into
/// the slot the pointer does not name as active, through <see cref="ModelPackage.OpenAsync"/> (which verifies while
/// extracting into a staging folder and renames it into place), then fsynced; only then can a pointer name it.
/// The pointer is replaced by an atomic rename, so after a kill at any point the agent finds a complete old slot or
/// a complete new one.
/// </summary>
internal sealed class SlotStore
{
    public const string SlotA = "a";
    public const string SlotB = "b";

    /// <summary>The folder beside the slots a bench job extracts its package into; never active.</summary>
    public const string BenchFolder = "bench";
    private const string SlotManifestFile = "slot.json";

    public SlotStore(string dataDirectory)
    {
        Root = Path.GetFullPath(dataDirectory);
        SlotsRoot = Path.Combine(Root, "slots");
        PointerPath = Path.Combine(Root, "active.json");
    }

    public string Root { get; }

    public string SlotsRoot { get; }

    public string PointerPath { get; }

    public static string Other(string slot) => slot == SlotA ? SlotB : SlotA;

    public string SlotPath(string slot) => Path.Combine(SlotsRoot, slot);

    /// <summary>
    /// The slot's TensorRT engine cache, <c>engines/{slot}</c> beside the slots (not inside: a package's own files
    /// could use any name). It belongs to the model staged in the slot and is deleted with it (<see cref="Clear"/>).
    /// </summary>
    public string EngineCachePath(string slot) => Path.Combine(Root, "engines", slot);

    public async Task<SlotPointer?> ReadPointerAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(PointerPath))
        {
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(PointerPath, cancellationToken);
        return JsonSerializer.Deserialize(bytes, OtaStorageJsonContext.Default.SlotPointer)
            ?? throw new InvalidDataException($"'{PointerPath}' holds JSON null.");
    }

    public async Task WritePointerAsync(SlotPointer pointer, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Root);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(pointer, OtaStorageJsonContext.Default.SlotPointer);
        await DurableFiles.WriteAtomicAsync(PointerPath, bytes, cancellationToken);
    }

    /// <summary>
    /// Verifies and extracts <paramref name="packagePath"/> into <paramref name="slot"/>, which must not be the
    /// active slot, replacing whatever it held; writes <c>slot.json</c> and fsyncs the whole slot.
    /// </summary>
    /// <exception cref="PackageVerificationException">The package was refused; the slot is left empty.</exception>
    public async Task<SlotManifest> StageAsync(string slot, string packagePath, string packageSha256, PackageTrust trust, PackageOpenOptions openOptions, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(SlotsRoot);
        Clear(slot);
        var destination = SlotPath(slot);
        using var package = await ModelPackage.OpenAsync(packagePath, trust, new PackageOpenOptions
        {
            ExtractionDirectory = destination,
            AllowUnsignedPackagesForDevelopmentOnly = openOptions.AllowUnsignedPackagesForDevelopmentOnly,
            Device = openOptions.Device,
            MaxPackageBytes = openOptions.MaxPackageBytes,
            Logger = openOptions.Logger,
        }, cancellationToken);
        var manifest = new SlotManifest
        {
            Name = package.Manifest.Name,
            Version = package.Manifest.Version,
            PackageSha256 = packageSha256,
            ModelPath = Path.GetRelativePath(destination, package.ModelPath).Replace('\\', '/'),
            Files = [.. package.Manifest.Files.Select(f => new SlotFile(f.Path, f.Size))],
            Golden = package.Manifest.Golden,
            DriftReference = package.Manifest.DriftReference,
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, OtaStorageJsonContext.Default.SlotManifest);
        await File.WriteAllBytesAsync(Path.Combine(destination, SlotManifestFile), bytes, cancellationToken);
        DurableFiles.SyncTree(destination);
        return manifest;
    }

    /// <summary>Reads a slot's <c>slot.json</c> and checks every file is there with its size; returns null and the reason when not.</summary>
    public async Task<(SlotManifest? Manifest, string? Problem)> InspectAsync(string slot, CancellationToken cancellationToken)
    {
        var folder = SlotPath(slot);
        var path = Path.Combine(folder, SlotManifestFile);
        if (!File.Exists(path))
        {
            return (null, $"slot '{slot}' has no {SlotManifestFile}");
        }

        SlotManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(path, cancellationToken), OtaStorageJsonContext.Default.SlotManifest);
        }
        catch (JsonException e)
        {
            return (null, $"slot '{slot}' has an unreadable {SlotManifestFile}: {e.Message}");
        }

        if (manifest is null)
        {
            return (null, $"slot '{slot}' has an empty {SlotManifestFile}");
        }

        foreach (var file in manifest.Files)
        {
            var info = new FileInfo(Path.Combine(folder, file.Path));
            if (!info.Exists || info.Length != file.Size)
            {
                return (null, $"slot '{slot}' file '{file.Path}' is {(info.Exists ? info.Length + " bytes" : "missing")}, expected {file.Size} bytes");
            }
        }

        return (manifest, null);
    }

    public string ModelPath(string slot, SlotManifest manifest) => Path.Combine(SlotPath(slot), manifest.ModelPath);

    public string FilePath(string slot, string archivePath) => Path.Combine(SlotPath(slot), archivePath);

    /// <summary>
    /// Deletes every staging folder ModelPackage left beside the slots (a job that failed or was killed while
    /// extracting). The slots themselves are untouched: the inactive one may still be the previous model.
    /// </summary>
    public void ClearStaging()
    {
        if (!Directory.Exists(SlotsRoot))
        {
            return;
        }

        foreach (var staging in Directory.EnumerateDirectories(SlotsRoot, ".*.staging-*"))
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Deletes a slot, its engine cache and any staging folder ModelPackage left beside it after a kill.</summary>
    public void Clear(string slot)
    {
        var destination = SlotPath(slot);
        if (Directory.Exists(destination))
        {
            Directory.Delete(destination, recursive: true);
        }

        // The engines were built from the model being replaced: a new model needs its own (the SDK keys them by the
        // model's hash, so they would never be loaded again, only take space).
        var engines = EngineCachePath(slot);
        if (Directory.Exists(engines))
        {
            Directory.Delete(engines, recursive: true);
        }

        if (Directory.Exists(SlotsRoot))
        {
            foreach (var staging in Directory.EnumerateDirectories(SlotsRoot, $".{slot}.staging-*"))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        DurableFiles.SyncDirectory(SlotsRoot);
    }
}
