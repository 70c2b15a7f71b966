using System.Text.Json.Nodes;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Cli.Commands;

/// <summary>`eval` of a float16 model, as the model (float16 or float32 preprocessing) and as the reference.</summary>
public sealed class EvalFloat16Tests : IDisposable
{
    private const string Spec =
        """{ "width": 224, "height": 224, "resize": "shorterSideCrop", "shorterSide": 256, "colorOrder": "bgr", "mean": [104, 117, 123] """;

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Fp16 => TestData.File("models/classifiers/squeezenet1.0/SqueezeNet_fp16.onnx");

    private static string Fp32 => TestData.File("models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx");

    private static string Images => $"images:{TestData.Directory("datasets/imagenet-sample-500")}@0:40";

    [Theory]
    [InlineData("float16")]
    [InlineData("float32")]
    public async Task Eval_Float16Model_ScoresLikeItsFloat32Twin(string dataType)
    {
        var spec = _folder.WriteText($"spec-{dataType}.json", Spec + ", \"dataType\": \"" + dataType + "\" }");

        var fp16 = await EvalAsync(Fp16, spec);
        var fp32 = await EvalAsync(Fp32, _folder.WriteText("spec32.json", Spec + "}"));

        // 40 photos: float16 rounding may flip one borderline photo, no more.
        Assert.InRange(Math.Abs((double)fp16["top1"]! - (double)fp32["top1"]!), 0, 1.0 / 40 + 1e-9);
    }

    [Fact]
    public async Task Eval_Float16ModelAsReference_ReportsAgreement()
    {
        var spec = _folder.WriteText("spec.json", Spec + "}");

        var json = await EvalAsync(Fp32, spec, "--reference", Fp16);

        var reference = json["reference"]!;
        Assert.Equal("SqueezeNet_fp16.onnx", (string?)reference["name"]);
        Assert.True((double)reference["top1_agreement"]! >= 0.975, $"top-1 agreement {(double)reference["top1_agreement"]!:P1}");
        Assert.True((double)reference["max_abs_error"]! < 5e-3, $"max abs error {(double)reference["max_abs_error"]!}");
    }

    private static async Task<JsonNode> EvalAsync(string model, string spec, params string[] extra)
    {
        var (code, output, error) = await CliRunner.RunAsync(["eval", model, "--data", Images, "--preprocess", spec, "--json", .. extra]);
        Assert.True(code == 0, $"exit {code}: {error}");
        return JsonNode.Parse(output)!;
    }
}
