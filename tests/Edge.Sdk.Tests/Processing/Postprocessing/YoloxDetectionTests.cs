using System.Globalization;
using Edge.Sdk.Processing.Postprocessing;
using Edge.Sdk.Processing.Preprocessing;
using Edge.TestUtilities;
using Xunit.Abstractions;

namespace Edge.Sdk.Tests.Processing.Postprocessing;

public sealed class YoloxDetectionTests
{
    private const int CocoDog = 16;

    // YOLOX-Nano: BGR, raw 0..255, letterbox top-left with grey 114, NCHW (models/README.md).
    private static readonly PreprocessSpec Spec = PreprocessSpec.FromJson("""
        { "width": 416, "height": 416, "resize": "letterbox", "padValue": 114, "alignment": "topLeft", "colorOrder": "bgr" }
        """);

    private readonly ITestOutputHelper _output;

    public YoloxDetectionTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Decode_YoloxNanoOnDogPhotos_FindsDogInAtLeast75Percent()
    {
        using var model = new SdkModel(TestData.File("models/detectors/yolox_nano/yolox_nano.onnx"));
        Spec.CheckFits(model.InputShape, model.InputName);
        var preprocessor = new ImagePreprocessor(Spec);
        var decoder = new YoloxDecoder(Spec.Width, Spec.Height);
        var input = new float[preprocessor.OutputLength];
        var candidates = new List<Detection>();
        var dogs = ImageNetSample.Dogs();
        Assert.Equal(59, dogs.Count);

        var found = 0;
        foreach (var (path, _, _) in dogs)
        {
            using (var bitmap = await ImageDecoder.DecodeAsync(path, CancellationToken.None))
            {
                preprocessor.Process(bitmap, input);
            }

            candidates.Clear();
            decoder.Decode(model.Run(input)[0], 0.3f, candidates);
            found += candidates.Any(d => d.ClassId == CocoDog) ? 1 : 0;
        }

        var rate = found / (double)dogs.Count;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"YOLOX-Nano found a dog (score >= 0.3) in {found} of {dogs.Count} dog photos: {rate:P1}"));
        Assert.True(rate >= 0.75, $"Dog recall {rate:P1} is below the 75% floor (independent measurement: 79.7%).");
    }

    [Theory]
    [InlineData("n04350905_suit.JPEG")]
    [InlineData("n02110958_pug.JPEG")]
    [InlineData("n02088364_beagle.JPEG")]
    public async Task Apply_YoloxDetectionsAfterNms_AreInsideImageAndDrawn(string file)
    {
        using var model = new SdkModel(TestData.File("models/detectors/yolox_nano/yolox_nano.onnx"));
        var preprocessor = new ImagePreprocessor(Spec);
        using var bitmap = await ImageDecoder.DecodeAsync(TestData.File($"datasets/imagenet-sample-500/{file}"), CancellationToken.None);
        var input = preprocessor.ProcessToArray(bitmap, out var transform);
        var candidates = new List<Detection>();
        new YoloxDecoder(Spec.Width, Spec.Height).Decode(model.Run(input)[0], 0.3f, candidates);

        var kept = NonMaxSuppression.Apply(candidates, new NmsOptions { ScoreThreshold = 0.3f, IouThreshold = 0.45f });
        var mapped = kept.Select(d => d with { Box = transform.ToSource(d.Box) }).ToArray();

        Assert.NotEmpty(mapped);
        Assert.True(kept.Length < candidates.Count || candidates.Count == 1, "NMS should merge the overlapping anchors of one object.");
        foreach (var detection in mapped)
        {
            Assert.InRange(detection.Box.X1, 0, bitmap.Width);
            Assert.InRange(detection.Box.X2, detection.Box.X1, bitmap.Width);
            Assert.InRange(detection.Box.Y2, detection.Box.Y1, bitmap.Height);
        }

        var path = DetectionDrawing.Save(bitmap, mapped, c => CocoNames.Get(c), "yolox_" + Path.GetFileNameWithoutExtension(file));
        _output.WriteLine($"{file}: {candidates.Count} candidates, {kept.Length} after NMS: " +
            string.Join("; ", mapped.Select(d => string.Create(CultureInfo.InvariantCulture, $"{CocoNames.Get(d.ClassId)} {d.Score:0.00} [{d.Box.X1:0},{d.Box.Y1:0},{d.Box.X2:0},{d.Box.Y2:0}]"))) +
            $" -> {path}");
    }
}
