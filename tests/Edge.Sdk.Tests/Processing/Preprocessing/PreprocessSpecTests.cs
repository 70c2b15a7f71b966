using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Sdk.Tests.Processing.Preprocessing;

public sealed class PreprocessSpecTests
{
    private static readonly PreprocessSpec SqueezeNet = new()
    {
        Width = 224,
        Height = 224,
        Resize = ResizeMode.ShorterSideCrop,
        ShorterSide = 256,
        ColorOrder = ColorOrder.Bgr,
        Mean = [104f, 117f, 123f],
    };

    [Fact]
    public void ToJson_RoundTrip_GivesEqualSpec()
    {
        var letterbox = new PreprocessSpec
        {
            Width = 416,
            Height = 320,
            Resize = ResizeMode.Letterbox,
            PadValue = 114,
            Alignment = PadAlignment.TopLeft,
            Interpolation = Interpolation.Area,
            Scale = 1f / 255,
            Mean = [0.485f, 0.456f, 0.406f],
            Std = [0.229f, 0.224f, 0.225f],
            Layout = TensorLayout.Nhwc,
            DataType = TensorDataType.Float16,
        };

        foreach (var spec in new[] { SqueezeNet, letterbox })
        {
            var json = spec.ToJson();
            var back = PreprocessSpec.FromJson(json);
            Assert.Equal(spec, back);
            Assert.Equal(spec.GetHashCode(), back.GetHashCode());
            Assert.Equal(json, back.ToJson());
        }
    }

    [Fact]
    public void ToJson_UsesCamelCaseAndStringEnums()
    {
        var json = SqueezeNet.ToJson();
        Assert.Contains("\"resize\": \"shorterSideCrop\"", json, StringComparison.Ordinal);
        Assert.Contains("\"colorOrder\": \"bgr\"", json, StringComparison.Ordinal);
        Assert.Contains("\"layout\": \"nchw\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"std\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_HandWrittenYoloxSpec_ParsesEveryField()
    {
        const string json = """
            {
              // YOLOX-Nano: BGR 0..255, letterbox top-left with grey 114
              "width": 416, "height": 416,
              "resize": "letterbox", "padValue": 114, "alignment": "topLeft",
              "interpolation": "bilinear",
              "colorOrder": "bgr",
              "layout": "nchw", "dataType": "float32",
            }
            """;

        var spec = PreprocessSpec.FromJson(json);

        Assert.Equal(new PreprocessSpec
        {
            Width = 416,
            Height = 416,
            Resize = ResizeMode.Letterbox,
            PadValue = 114,
            Alignment = PadAlignment.TopLeft,
            ColorOrder = ColorOrder.Bgr,
        }, spec);
        Assert.Equal([1, 3, 416, 416], spec.OutputShape);
    }

    [Fact]
    public void FromJson_UnknownProperty_ThrowsNamingIt()
    {
        var error = Assert.Throws<PreprocessSpecException>(() => PreprocessSpec.FromJson("""{ "width": 2, "height": 2, "stdev": [1] }"""));
        Assert.Contains("stdev", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_MissingHeight_Throws()
    {
        var error = Assert.Throws<PreprocessSpecException>(() => PreprocessSpec.FromJson("""{ "width": 2 }"""));
        Assert.Contains("height", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_ListsEveryErrorAtOnce()
    {
        var spec = new PreprocessSpec
        {
            Width = 0,
            Height = 224,
            ShorterSide = 256,
            Scale = 0,
            Mean = [1f, 2f],
            Std = [1f, 0f, 1f],
            PadValue = 300,
        };

        var error = Assert.Throws<PreprocessSpecException>(spec.Validate);

        Assert.Equal(6, error.Errors.Count);
        Assert.Contains(error.Errors, e => e.StartsWith("width is 0", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("shorterSide is 256 but is only used with resize 'shorterSideCrop'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("scale is 0", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("mean has 2 values ([1, 2]) but the spec produces 3 channel(s)", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("std[1] is 0", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("padValue is 300", StringComparison.Ordinal));
        Assert.Contains("6 errors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UInt8WithMean_Fails()
    {
        var spec = new PreprocessSpec { Width = 8, Height = 8, DataType = TensorDataType.UInt8, Mean = [1f, 1f, 1f] };
        var error = Assert.Throws<PreprocessSpecException>(spec.Validate);
        Assert.Contains("uint8", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFits_DifferentSpatialSize_ThrowsNamingBothShapes()
    {
        var error = Assert.Throws<PreprocessSpecException>(() => SqueezeNet.CheckFits([1, 3, 227, 227], "data"));
        Assert.Equal("preprocess produces 1x3x224x224 NCHW but input 'data' expects 1x3x227x227.", error.Message);
    }

    [Fact]
    public void CheckFits_DynamicBatchAndRankThree_Pass()
    {
        SqueezeNet.CheckFits([-1, 3, 224, 224], "data_0");
        SqueezeNet.CheckFits([3, 224, 224], "data_0");
        var error = Assert.Throws<PreprocessSpecException>(() => (SqueezeNet with { Layout = TensorLayout.Nhwc }).CheckFits([1, 3, 224, 224], "x"));
        Assert.Contains("1x224x224x3 NHWC", error.Message, StringComparison.Ordinal);
    }
}
