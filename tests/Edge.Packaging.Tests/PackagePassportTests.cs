using System.Text;

namespace Edge.Packaging.Tests;

public sealed class PackagePassportTests : IDisposable
{
    private static readonly PackageFile Model = new() { Path = "model/m.onnx", Role = PackageFileRole.Model, Sha256 = new string('a', 64), Size = 10 };

    private readonly PackageTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    internal static PackageHardwareClass Pi5 { get; } = new()
    {
        Board = "Raspberry Pi 5 Model B Rev 1.0",
        CpuModel = "Cortex-A76",
        Architecture = "arm64",
        IsaFlags = ["asimddp", "asimdhp", "fphp"],
        OnnxRuntimeVersion = "1.22.0",
        ExecutionProvider = "cpu",
    };

    internal static PackagePassportEntry Entry(PackageHardwareClass hardware, double p50 = 4.2, double baselineP50 = 6.0) => new()
    {
        Hardware = hardware,
        Source = "device:pi-07",
        MeasuredUtc = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero),
        P50Ms = p50,
        P95Ms = p50 * 1.5,
        Baseline = new PackageReference { Name = "mnist", Version = "1.0.0" },
        BaselineP50Ms = baselineP50,
        BaselineP95Ms = baselineP50 * 1.5,
        LatencyRatio = p50 / baselineP50,
        Accuracy = new PackagePassportAccuracy { Metric = "top1", Value = 0.981, BaselineValue = 0.984, Agreement = 0.995 },
    };

    [Fact]
    public async Task VerifyAsync_PackageWithPassport_ReturnsEveryFigure()
    {
        var path = Path.Combine(_bed.Root, "passport.edgepkg");
        var passport = new PackagePassport { Entries = [Entry(Pi5)] };
        await PackageWriter.WriteAsync(path, files => PackageTestBed.Manifest(files).WithPassport(passport), [new("model/mnist.onnx", PackageTestBed.ModelSource, PackageFileRole.Model)], [_bed.Key], CancellationToken.None);

        var result = await ModelPackage.VerifyAsync(path, _bed.Trust, _bed.Options());

        var entry = Assert.Single(result.Manifest.Passport!.Entries);
        Assert.Equal(Pi5.Key, entry.Hardware.Key);
        Assert.Equal(["asimddp", "asimdhp", "fphp"], entry.Hardware.IsaFlags);
        Assert.Equal("device:pi-07", entry.Source);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero), entry.MeasuredUtc);
        Assert.Equal(4.2, entry.P50Ms);
        Assert.Equal(6.3, entry.P95Ms, 9);
        Assert.Equal(("mnist", "1.0.0"), (entry.Baseline.Name, entry.Baseline.Version));
        Assert.Equal(6.0, entry.BaselineP50Ms);
        Assert.Equal(9.0, entry.BaselineP95Ms);
        Assert.Equal(0.7, entry.LatencyRatio, 9);
        Assert.Equal(("top1", 0.981, 0.984, 0.995), (entry.Accuracy!.Metric, entry.Accuracy.Value, entry.Accuracy.BaselineValue, entry.Accuracy.Agreement));
    }

    [Fact]
    public async Task OpenAsync_PassportFigureEditedAfterSigning_ThrowsSignatureInvalid()
    {
        var signed = await _bed.PackWithManifestAsync(m => m.WithPassport(new PackagePassport { Entries = [Entry(Pi5, p50: 7.5)] }));
        var manifest = Encoding.UTF8.GetString(PackageTestBed.ReadEntries(signed)[0].Data);
        Assert.Contains("\"p50Ms\": 7.5,", manifest, StringComparison.Ordinal);
        Assert.Contains("\"latencyRatio\": 1.25,", manifest, StringComparison.Ordinal);

        // A consistent edit (faster, and the ratio to match) passes every schema check; only the signature catches it.
        var edited = Encoding.UTF8.GetBytes(manifest
            .Replace("\"p50Ms\": 7.5,", "\"p50Ms\": 3,", StringComparison.Ordinal)
            .Replace("\"latencyRatio\": 1.25,", "\"latencyRatio\": 0.5,", StringComparison.Ordinal));
        Assert.Equal(3, PackageManifestSerializer.Parse(edited).Passport!.Entries[0].P50Ms);
        var tampered = _bed.Rewrite(signed, entries => entries.Select(e => e.Name == "manifest.json" ? e with { Data = edited } : e));

        var error = await Assert.ThrowsAsync<PackageVerificationException>(() => ModelPackage.OpenAsync(tampered, _bed.Trust, _bed.Options()));

        Assert.Equal(PackageFailureKind.SignatureInvalid, error.Kind);
        _bed.AssertNothingLeftBehind();
    }

    [Fact]
    public void Serialize_ManifestWithoutPassport_WritesNoPassportMember()
    {
        var json = Encoding.UTF8.GetString(PackageManifestSerializer.Serialize(PackageTestBed.Manifest([Model])));

        Assert.DoesNotContain("passport", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_Passport_IsTheLastMemberAndStoresNoKey()
    {
        var json = Encoding.UTF8.GetString(PackageManifestSerializer.Serialize(PackageTestBed.Manifest([Model]).WithPassport(new PackagePassport { Entries = [Entry(Pi5)] })));

        Assert.True(json.IndexOf("\"passport\":", StringComparison.Ordinal) > json.IndexOf("\"golden\":", StringComparison.Ordinal));
        Assert.DoesNotContain("\"key\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownMember_IsIgnoredAsOldReadersIgnoreAPassport()
    {
        var json = Encoding.UTF8.GetString(PackageManifestSerializer.Serialize(PackageTestBed.Manifest([Model])))
            .Replace("\"labels\":", "\"fromTheFuture\": { \"entries\": [ { \"p50Ms\": 1 } ] },\n  \"labels\":", StringComparison.Ordinal);

        var manifest = PackageManifestSerializer.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal("mnist", manifest.Name);
        Assert.Null(manifest.Passport);
    }

    [Fact]
    public void Validate_BadEntry_ListsEveryError()
    {
        var bad = new PackagePassportEntry
        {
            Hardware = new PackageHardwareClass { Board = "", CpuModel = "a|b", Architecture = "ARM64", IsaFlags = ["neon", "asimd"], OnnxRuntimeVersion = " ", ExecutionProvider = "CUDAExecutionProvider" },
            Source = "",
            MeasuredUtc = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.FromHours(1)),
            P50Ms = double.NaN,
            P95Ms = -1,
            Baseline = new PackageReference { Name = "", Version = "" },
            BaselineP50Ms = 10,
            BaselineP95Ms = 5,
            LatencyRatio = 0.9,
            Accuracy = new PackagePassportAccuracy { Metric = "", Value = double.PositiveInfinity, BaselineValue = 0.9, Agreement = 1.5 },
        };
        var manifest = PackageTestBed.Manifest([Model]).WithPassport(new PackagePassport { Entries = [bad] });

        var errors = PackageManifestValidator.Validate(manifest);

        string[] expected =
        [
            "passport.entries[0].hardware.board '' must be 1-200 characters",
            "passport.entries[0].hardware.cpuModel 'a|b' must be",
            "passport.entries[0].hardware.onnxRuntimeVersion ' ' must be",
            "passport.entries[0].hardware.architecture 'ARM64' must be lowercase",
            "passport.entries[0].hardware.executionProvider 'CUDAExecutionProvider' must be a short lowercase name",
            "passport.entries[0].hardware.isaFlags [neon, asimd] must be distinct and in ordinal order",
            "passport.entries[0].source '' must be",
            "passport.entries[0].measuredUtc",
            "passport.entries[0].baseline.name '' must be",
            "passport.entries[0].baseline.version '' must be",
            "passport.entries[0].p50Ms is NaN, expected a finite number of milliseconds greater than zero",
            "passport.entries[0].p95Ms is -1, expected a finite number",
            "passport.entries[0].baselineP95Ms 5 is less than baselineP50Ms 10",
            "passport.entries[0].accuracy.metric '' must be",
            "passport.entries[0].accuracy.value Infinity and baselineValue 0.9 must both be finite",
            "passport.entries[0].accuracy.agreement is 1.5, expected a share from 0 to 1",
        ];
        foreach (var start in expected)
        {
            Assert.Contains(errors, e => e.StartsWith(start, StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length, errors.Count);
    }

    [Fact]
    public void Validate_RatioThatDisagreesWithTheLatencies_IsAnError()
    {
        var entry = Entry(Pi5, p50: 5, baselineP50: 4);
        var wrong = new PackagePassportEntry
        {
            Hardware = entry.Hardware, Source = entry.Source, MeasuredUtc = entry.MeasuredUtc, P50Ms = entry.P50Ms, P95Ms = entry.P95Ms,
            Baseline = entry.Baseline, BaselineP50Ms = entry.BaselineP50Ms, BaselineP95Ms = entry.BaselineP95Ms, LatencyRatio = 0.8,
        };

        var errors = PackageManifestValidator.Validate(PackageTestBed.Manifest([Model]).WithPassport(new PackagePassport { Entries = [wrong] }));

        var error = Assert.Single(errors);
        Assert.Equal("passport.entries[0].latencyRatio is 0.8, but p50Ms / baselineP50Ms is 1.25 (5 / 4); they must agree within 0.1%", error);
    }

    [Fact]
    public void Validate_TwoEntriesForOneClass_IsAnError()
    {
        var passport = new PackagePassport { Entries = [Entry(Pi5), Entry(Pi5, p50: 5)] };

        var error = Assert.Single(PackageManifestValidator.Validate(PackageTestBed.Manifest([Model]).WithPassport(passport)));

        Assert.StartsWith("passport.entries[1].hardware is the same class as passport.entries[0]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MoreEntriesThanTheLimit_IsAnError()
    {
        var entries = Enumerable.Range(0, PackagePassport.MaxEntries + 1)
            .Select(i => Entry(new PackageHardwareClass { Board = $"board-{i}", CpuModel = "cpu", Architecture = "x64", OnnxRuntimeVersion = "1.22.0", ExecutionProvider = "cpu" }))
            .ToArray();

        var error = Assert.Single(PackageManifestValidator.Validate(PackageTestBed.Manifest([Model]).WithPassport(new PackagePassport { Entries = entries })));

        Assert.Equal("passport.entries holds 257 entries, at most 256 are allowed", error);
    }

    [Fact]
    public void Find_DeviceHardwareKey_ReturnsThatClassOnly()
    {
        var x64 = new PackageHardwareClass { Board = "generic-x64", CpuModel = "Intel(R) Xeon(R)", Architecture = "x64", IsaFlags = ["avx2", "avx512vnni"], OnnxRuntimeVersion = "1.22.0", ExecutionProvider = "cpu" };
        var passport = new PackagePassport { Entries = [Entry(Pi5), Entry(x64, p50: 1)] };

        // The key as a device's HardwareFacts builds it: architecture|board|cpu|flags|ort|provider.
        var found = passport.Find("x64|generic-x64|Intel(R) Xeon(R)|avx2,avx512vnni|1.22.0|cpu");

        Assert.Same(passport.Entries[1], found);
        Assert.Same(passport.Entries[0], passport.Find("arm64|Raspberry Pi 5 Model B Rev 1.0|Cortex-A76|asimddp,asimdhp,fphp|1.22.0|cpu"));
        Assert.Null(passport.Find("x64|generic-x64|Intel(R) Xeon(R)|avx2,avx512vnni|1.22.0|cuda"));
    }

    [Fact]
    public void WithPassport_EveryOtherMember_IsKept()
    {
        var original = PackageTestBed.Manifest([Model]);

        var copy = original.WithPassport(new PackagePassport { Entries = [Entry(Pi5)] });

        // Guards WithPassport against members added to the manifest later and not copied.
        foreach (var property in typeof(PackageManifest).GetProperties().Where(p => p.Name != nameof(PackageManifest.Passport)))
        {
            Assert.True(Equals(property.GetValue(original), property.GetValue(copy)), $"WithPassport lost {property.Name}");
        }

        Assert.Single(copy.Passport!.Entries);
        Assert.Null(copy.WithPassport(null).Passport);
    }
}
