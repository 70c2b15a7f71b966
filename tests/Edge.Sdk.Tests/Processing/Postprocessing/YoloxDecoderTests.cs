using Edge.Sdk.Processing.Postprocessing;

namespace Edge.Sdk.Tests.Processing.Postprocessing;

public sealed class YoloxDecoderTests
{
    [Fact]
    public void Decode_OneConfidentAnchor_GivesGridDecodedBox()
    {
        var decoder = new YoloxDecoder(416, 416);
        Assert.Equal(3549, decoder.AnchorCount);
        const int width = 85;
        var output = new float[3549 * width];

        // Anchor 52*52 + 3*26 + 5 is cell (5, 3) of the stride-16 grid.
        var anchor = (52 * 52) + (3 * 26) + 5;
        var row = output.AsSpan(anchor * width, width);
        row[0] = 0.5f;
        row[1] = 0.25f;
        row[2] = MathF.Log(4);
        row[3] = MathF.Log(2);
        row[4] = 0.8f;
        row[5 + 16] = 0.5f;
        row[5 + 3] = 0.2f;

        var detections = new List<Detection>();
        decoder.Decode(output, 0.3f, detections);

        var detection = Assert.Single(detections);
        Assert.Equal(16, detection.ClassId);
        Assert.Equal(0.4f, detection.Score, 5);
        Assert.Equal(BoundingBox.FromCenter(5.5f * 16, 3.25f * 16, 64, 32), detection.Box);
    }

    [Fact]
    public void Decode_WrongLength_ThrowsWithExpectedAnchors()
    {
        var error = Assert.Throws<ArgumentException>(() => new YoloxDecoder(416, 416).Decode(new float[100], 0.3f, []));
        Assert.Contains("expected 3549 anchors", error.Message, StringComparison.Ordinal);
    }
}
