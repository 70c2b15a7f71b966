using System.Globalization;
using Edge.Sdk.Processing.Postprocessing;
using Edge.Sdk.Processing.Preprocessing;
using Edge.TestUtilities;
using Xunit.Abstractions;

namespace Edge.Sdk.Tests.Processing.Postprocessing;

public sealed class SqueezeNetAccuracyTests
{
    private readonly ITestOutputHelper _output;

    public SqueezeNetAccuracyTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    [Trait(TestCategories.Category, TestCategories.LongRunning)]
    public async Task TopK_SqueezeNetOnImageNetSample_Top1AtLeast55Percent()
    {
        var spec = PreprocessSpec.FromJson("""
            { "width": 224, "height": 224, "resize": "shorterSideCrop", "shorterSide": 256, "interpolation": "bilinear",
              "colorOrder": "bgr", "mean": [104, 117, 123] }
            """);
        using var model = new SdkModel(TestData.File("models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx"));
        spec.CheckFits(model.InputShape, model.InputName);
        var preprocessor = new ImagePreprocessor(spec);
        var input = new float[preprocessor.OutputLength];
        var samples = ImageNetSample.Load();
        Assert.Equal(500, samples.Count);

        int top1 = 0, top5 = 0;
        var ranking = new Classification[5];
        foreach (var (path, classIndex, _) in samples)
        {
            using (var bitmap = await ImageDecoder.DecodeAsync(path, CancellationToken.None))
            {
                preprocessor.Process(bitmap, input);
            }

            var probabilities = model.Run(input)[0];
            Assert.Equal(1000, probabilities.Length);
            ClassificationDecoder.TopK(probabilities, ranking);
            top1 += ranking[0].ClassIndex == classIndex ? 1 : 0;
            top5 += ranking.Any(c => c.ClassIndex == classIndex) ? 1 : 0;
        }

        var top1Rate = top1 / (double)samples.Count;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SqueezeNet 1.0 on {samples.Count} ImageNet images: top-1 {top1Rate:P1} ({top1}), top-5 {top5 / (double)samples.Count:P1} ({top5})"));
        Assert.True(top1Rate >= 0.55, $"Top-1 accuracy {top1Rate:P1} is below the 55% floor (independent measurement: 60.0%).");
    }
}
