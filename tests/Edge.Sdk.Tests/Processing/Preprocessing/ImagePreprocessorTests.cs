using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Sdk.Tests.Processing.Preprocessing;

public sealed class ImagePreprocessorTests
{
    private const int SourceWidth = 37;
    private const int SourceHeight = 23;

    public static TheoryData<string> Specs => new()
    {
        """{ "width": 16, "height": 12 }""",
        """{ "width": 50, "height": 40, "interpolation": "nearest", "colorOrder": "bgr" }""",
        """{ "width": 16, "height": 16, "resize": "shorterSideCrop", "shorterSide": 18, "colorOrder": "bgr", "mean": [104, 117, 123] }""",
        """{ "width": 20, "height": 10, "resize": "shorterSideCrop", "scale": 0.00392157, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225] }""",
        """{ "width": 24, "height": 24, "resize": "letterbox", "padValue": 114, "alignment": "topLeft", "colorOrder": "bgr" }""",
        """{ "width": 30, "height": 30, "resize": "letterbox", "padValue": 127, "mean": [127, 127, 127], "std": [128, 128, 128] }""",
        """{ "width": 14, "height": 9, "colorOrder": "grayscale", "scale": 0.00392157, "layout": "nhwc" }""",
        """{ "width": 12, "height": 20, "resize": "letterbox", "layout": "nhwc", "mean": [1, 2, 3] }""",
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Process_Rgb24_MatchesScalarReference(string json)
    {
        var spec = PreprocessSpec.FromJson(json);
        var rgb = RandomImage(SourceWidth, SourceHeight, seed: 7);
        var expected = ReferencePreprocessor.Run(spec, rgb, SourceWidth, SourceHeight);

        var actual = new ImagePreprocessor(spec).ProcessToArray(new ImageFrame(rgb, SourceWidth, SourceHeight, PixelFormat.Rgb24), out _);

        AssertClose(expected, actual, 1e-3f);
    }

    [Theory]
    [InlineData(PixelFormat.Bgr24)]
    [InlineData(PixelFormat.Rgba32)]
    [InlineData(PixelFormat.Bgra32)]
    public void Process_OtherPackedFormats_MatchRgb24(PixelFormat format)
    {
        var spec = PreprocessSpec.FromJson("""{ "width": 19, "height": 13, "resize": "shorterSideCrop", "interpolation": "cubic" }""");
        var rgb = RandomImage(SourceWidth, SourceHeight, seed: 3);
        var bytesPerPixel = ImageFrame.BytesPerPixel(format);
        var stride = (SourceWidth * bytesPerPixel) + 5;
        var packed = new byte[stride * SourceHeight];
        for (var i = 0; i < SourceWidth * SourceHeight; i++)
        {
            var target = ((i / SourceWidth) * stride) + ((i % SourceWidth) * bytesPerPixel);
            var swap = format is PixelFormat.Bgr24 or PixelFormat.Bgra32;
            packed[target] = rgb[(i * 3) + (swap ? 2 : 0)];
            packed[target + 1] = rgb[(i * 3) + 1];
            packed[target + 2] = rgb[(i * 3) + (swap ? 0 : 2)];
        }

        var preprocessor = new ImagePreprocessor(spec);
        var expected = preprocessor.ProcessToArray(new ImageFrame(rgb, SourceWidth, SourceHeight, PixelFormat.Rgb24), out _);
        var actual = preprocessor.ProcessToArray(new ImageFrame(packed, SourceWidth, SourceHeight, format, stride), out _);

        AssertClose(expected, actual, 1e-4f);
    }

    [Fact]
    public void Process_Nv12AndYuyv_MatchRgbConversionOfSameFrame()
    {
        const int width = 40, height = 30;
        var random = new Random(11);
        var nv12 = new byte[width * height * 3 / 2];
        for (var i = 0; i < width * height; i++)
        {
            nv12[i] = (byte)random.Next(16, 236);
        }

        for (var i = width * height; i < nv12.Length; i++)
        {
            nv12[i] = (byte)random.Next(16, 241);
        }

        // The same frame as YUYV (4:2:2 keeps each NV12 chroma sample for both rows it covers) and as RGB24, the
        // latter from the floating-point BT.601 limited-range equations rather than the SDK's fixed-point ones.
        var yuyv = new byte[width * height * 2];
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var luma = nv12[(y * width) + x];
                var chroma = (width * height) + ((y / 2) * width) + (x & ~1);
                byte u = nv12[chroma], v = nv12[chroma + 1];
                yuyv[(y * width * 2) + (x * 2)] = luma;
                yuyv[(y * width * 2) + ((x & ~1) * 2) + 1] = u;
                yuyv[(y * width * 2) + ((x & ~1) * 2) + 3] = v;
                var c = 1.164 * (luma - 16);
                var pixel = ((y * width) + x) * 3;
                rgb[pixel] = ToByte(c + (1.596 * (v - 128)));
                rgb[pixel + 1] = ToByte(c - (0.391 * (u - 128)) - (0.813 * (v - 128)));
                rgb[pixel + 2] = ToByte(c + (2.018 * (u - 128)));
            }
        }

        var spec = PreprocessSpec.FromJson("""{ "width": 17, "height": 11, "resize": "shorterSideCrop", "colorOrder": "bgr" }""");
        var preprocessor = new ImagePreprocessor(spec);
        var expected = preprocessor.ProcessToArray(new ImageFrame(rgb, width, height, PixelFormat.Rgb24), out _);
        var fromNv12 = preprocessor.ProcessToArray(new ImageFrame(nv12, width, height, PixelFormat.Nv12), out _);
        var fromYuyv = preprocessor.ProcessToArray(new ImageFrame(yuyv, width, height, PixelFormat.Yuyv), out _);

        // Fixed-point rounding may differ from the float equations by one level per pixel.
        AssertClose(expected, fromNv12, 1.01f);
        AssertClose(expected, fromYuyv, 1.01f);
        Assert.Equal(fromNv12, fromYuyv);
    }

    [Fact]
    public void Process_Float16AndUInt8_AgreeWithFloat32()
    {
        var rgb = RandomImage(SourceWidth, SourceHeight, seed: 5);
        var frame = new ImageFrame(rgb, SourceWidth, SourceHeight, PixelFormat.Rgb24);
        var spec = PreprocessSpec.FromJson("""{ "width": 21, "height": 21, "resize": "letterbox", "padValue": 114 }""");
        var reference = new ImagePreprocessor(spec).ProcessToArray(frame, out _);

        var halves = new Half[spec.OutputLength];
        new ImagePreprocessor(spec with { DataType = TensorDataType.Float16 }).Process(frame, halves);
        var bytes = new byte[spec.OutputLength];
        new ImagePreprocessor(spec with { DataType = TensorDataType.UInt8 }).Process(frame, bytes);

        AssertClose(reference, halves.Select(h => (float)h).ToArray(), 0.13f);
        AssertClose(reference, bytes.Select(b => (float)b).ToArray(), 0.5001f);
        Assert.Equal(114, bytes[^1]);
    }

    [Fact]
    public void Process_AreaHalving_AveragesEachBlock()
    {
        const int width = 8, height = 6;
        var rgb = RandomImage(width, height, seed: 9);
        var spec = PreprocessSpec.FromJson("""{ "width": 4, "height": 3, "interpolation": "area", "colorOrder": "grayscale" }""");
        var actual = new ImagePreprocessor(spec).ProcessToArray(new ImageFrame(rgb, width, height, PixelFormat.Rgb24), out _);

        for (var y = 0; y < 3; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                double sum = 0;
                foreach (var (dx, dy) in new[] { (0, 0), (1, 0), (0, 1), (1, 1) })
                {
                    var p = ((((2 * y) + dy) * width) + (2 * x) + dx) * 3;
                    sum += (0.299 * rgb[p]) + (0.587 * rgb[p + 1]) + (0.114 * rgb[p + 2]);
                }

                Assert.True(Math.Abs((sum / 4) - actual[(y * 4) + x]) < 1e-3, $"({x},{y}): expected {sum / 4} got {actual[(y * 4) + x]}");
            }
        }
    }

    [Fact]
    public void Process_Letterbox_ReturnsTransformThatMapsBack()
    {
        var rgb = RandomImage(64, 32, seed: 1);
        var spec = PreprocessSpec.FromJson("""{ "width": 32, "height": 32, "resize": "letterbox" }""");
        new ImagePreprocessor(spec).ProcessToArray(new ImageFrame(rgb, 64, 32, PixelFormat.Rgb24), out var transform);

        Assert.Equal(new ImageTransform(0.5f, 0.5f, 0, 8, 64, 32), transform);
        var box = transform.ToSource(new Edge.Sdk.Processing.Postprocessing.BoundingBox(0, 8, 32, 24));
        Assert.Equal(new Edge.Sdk.Processing.Postprocessing.BoundingBox(0, 0, 64, 32), box);
    }

    [Fact]
    public void Process_DestinationTooSmall_ThrowsWithSizes()
    {
        var spec = PreprocessSpec.FromJson("""{ "width": 4, "height": 4 }""");
        var error = Assert.Throws<ArgumentException>(() => new ImagePreprocessor(spec).Process(new ImageFrame(new byte[12], 2, 2, PixelFormat.Rgb24), new float[47]));
        Assert.Contains("holds 47 elements but the spec produces 48", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageFrame_ShortBuffer_ThrowsWithRequiredLength()
    {
        var error = Assert.Throws<ArgumentException>(() => new ImageFrame(new byte[100], 10, 10, PixelFormat.Nv12));
        Assert.Contains("needs at least 150 bytes; got 100", error.Message, StringComparison.Ordinal);
    }

    internal static byte[] RandomImage(int width, int height, int seed)
    {
        var bytes = new byte[width * height * 3];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte ToByte(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > tolerance * Math.Max(1, Math.Abs(expected[i]) / 100))
            {
                Assert.Fail($"Element {i}: expected {expected[i]} but got {actual[i]} (tolerance {tolerance}).");
            }
        }
    }
}
