using System.Globalization;
using Edge.Sdk.Processing.Postprocessing;
using Edge.Sdk.Processing.Preprocessing;
using Edge.TestUtilities;
using Xunit.Abstractions;

namespace Edge.Sdk.Tests.Processing.Postprocessing;

public sealed class UltraFaceDetectionTests
{
    // UltraFace: RGB, (pixel - 127) / 128, stretched to 320x240, NCHW (upstream run_video_face_detect_onnx.py).
    private static readonly PreprocessSpec Spec = PreprocessSpec.FromJson("""
        { "width": 320, "height": 240, "colorOrder": "rgb", "mean": [127, 127, 127], "std": [128, 128, 128] }
        """);

    private readonly ITestOutputHelper _output;

    public UltraFaceDetectionTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData("n10148035_groom.JPEG")]
    [InlineData("n04350905_suit.JPEG")]
    [InlineData("n04355933_sunglass.JPEG")]
    public async Task Decode_Rfb320OnPersonPhoto_GivesWellFormedBoxesInsideImage(string file)
    {
        using var model = new SdkModel(TestData.File("models/detectors/ultraface/version-RFB-320.onnx"));
        Spec.CheckFits(model.InputShape, model.InputName);
        using var bitmap = await ImageDecoder.DecodeAsync(TestData.File($"datasets/imagenet-sample-500/{file}"), CancellationToken.None);
        var input = new ImagePreprocessor(Spec).ProcessToArray(bitmap, out var transform);

        var outputs = model.Run(input);
        var (scores, boxes) = (outputs[0], outputs[1]);
        Assert.Equal(4420 * 2, scores.Length);
        Assert.Equal(4420 * 4, boxes.Length);

        // The export ends in softmax and prior decoding: scores are probability pairs and boxes normalised corners.
        for (var i = 0; i < 4420; i++)
        {
            Assert.Equal(1f, scores[2 * i] + scores[(2 * i) + 1], 3);
            Assert.True(boxes[(4 * i) + 2] > boxes[4 * i] && boxes[(4 * i) + 3] > boxes[(4 * i) + 1], $"Prior {i} box is not x1<x2, y1<y2.");
            Assert.InRange(boxes[4 * i], -0.5f, 1.5f);
        }

        var candidates = new List<Detection>();
        UltraFaceDecoder.Decode(scores, boxes, Spec.Width, Spec.Height, 0.7f, candidates);
        var kept = NonMaxSuppression.Apply(candidates, new NmsOptions { ScoreThreshold = 0.7f, IouThreshold = 0.3f });
        var mapped = kept.Select(d => d with { Box = transform.ToSource(d.Box) }).ToArray();

        for (var i = 0; i < mapped.Length; i++)
        {
            var box = mapped[i].Box;
            Assert.Equal(0, mapped[i].ClassId);
            Assert.InRange(mapped[i].Score, 0.7f, 1f);
            Assert.True(i == 0 || mapped[i - 1].Score >= mapped[i].Score, "Detections must be sorted by descending score.");
            Assert.True(box.X1 >= 0 && box.Y1 >= 0 && box.X2 <= bitmap.Width && box.Y2 <= bitmap.Height && box.Width > 0 && box.Height > 0,
                $"Box {box} is not a non-empty box inside the {bitmap.Width}x{bitmap.Height} image.");
        }

        var path = DetectionDrawing.Save(bitmap, mapped, _ => "face", "ultraface_" + Path.GetFileNameWithoutExtension(file));
        _output.WriteLine($"{file}: {candidates.Count} priors >= 0.7, {mapped.Length} faces after NMS: " +
            string.Join("; ", mapped.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Score:0.00} [{d.Box.X1:0},{d.Box.Y1:0},{d.Box.X2:0},{d.Box.Y2:0}]"))) +
            $" -> {path}");
    }
}
