using System.Text;
using Edge.Onnx.Protobuf;
using Edge.TestUtilities;

namespace Edge.Onnx.Tests.Serialization;

public sealed class RoundTripTests
{
    /// <summary>Models that cannot round-trip, with the reason. Empty: every shared model round-trips.</summary>
    private static readonly Dictionary<string, string> KnownFailures = new(StringComparer.Ordinal);

    [Fact]
    public async Task LoadSave_EverySharedModel_SavedBytesParseToAnEqualModel()
    {
        var root = TestData.ModelsDirectory;
        var files = Directory.GetFiles(root, "*.onnx", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 1832, $"Expected at least 1832 .onnx files under '{root}', found {files.Count}.");

        var failures = new StringBuilder();
        var failed = 0;
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(root, file);
            try
            {
                var model = await OnnxModel.LoadAsync(file);
                using var saved = new MemoryStream();
                await model.SaveAsync(saved);
                var original = ModelProto.Parser.ParseFrom(await File.ReadAllBytesAsync(file));
                var reparsed = ModelProto.Parser.ParseFrom(saved.ToArray());
                if (!original.Equals(reparsed))
                {
                    throw new InvalidOperationException("saved model differs from the original after parsing both");
                }

                if (KnownFailures.ContainsKey(relative))
                {
                    throw new InvalidOperationException("listed as a known failure but round-trips; remove it from the list");
                }
            }
            catch (Exception e) when (!KnownFailures.ContainsKey(relative) || e is InvalidOperationException)
            {
                failed++;
                failures.AppendLine(Describe(relative, e));
            }
        }

        Assert.True(failed == 0, $"{failed} of {files.Count} models failed to round-trip:\n{failures}");
    }

    [Fact]
    public void Save_ToFile_WritesBytesThatParseToAnEqualModel()
    {
        var file = TestData.File("models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx");
        using var folder = new TemporaryFolder();
        var target = Path.Combine(folder.Path, "copy.onnx");

        OnnxModel.Load(file).Save(target);

        Assert.Equal(ModelProto.Parser.ParseFrom(File.ReadAllBytes(file)), ModelProto.Parser.ParseFrom(File.ReadAllBytes(target)));
        Assert.Equal(["copy.onnx"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    private static string Describe(string relative, Exception e) =>
        $"  {relative}: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
}
