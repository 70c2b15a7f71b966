using Edge.Agent.Ota.Shadow;
using Edge.Agent.Tests.Ota.Support;
using Edge.Sdk.Inference;

namespace Edge.Agent.Tests.Ota.Shadow;

/// <summary>The comparison a shadow uses, picked from the candidate's signature and applied to outputs.</summary>
public sealed class ShadowComparerTests
{
    [Fact]
    public void For_MnistClassifier_ComparesTopOne()
    {
        using var session = EdgeSession.Load(OtaModels.MnistPath, new EdgeSessionOptions { Provider = ExecutionProvider.Cpu });
        var comparer = ShadowComparer.For(session, 0.01);

        Assert.Equal("classification", comparer.Task);
        Assert.Equal(new ShadowVerdict(true, 1, null), comparer.Compare([0.1f, 3f, 0.2f], [0.3f, 2.5f, 0.1f]));
        var disagreement = comparer.Compare([0.1f, 3f, 0.2f], [3f, 0.1f, 0.2f]);
        Assert.False(disagreement.Agrees);
        Assert.InRange(disagreement.Score, 0.04, 0.06);
        Assert.StartsWith("top-1 1 (served) vs 0 (candidate", disagreement.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Raw_WithinAndBeyondTheRelativeTolerance()
    {
        var raw = new RawComparer(0.01);

        Assert.True(raw.Compare([100f, -50f], [100.5f, -50f]).Agrees);
        var far = raw.Compare([100f, -50f], [102f, -50f]);
        Assert.False(far.Agrees);
        Assert.Equal(0.98, far.Score, 6);
        Assert.Equal("relative error 0.02 > 0.01", far.Detail);
        Assert.False(raw.Compare([1f], [float.NaN]).Agrees);
        Assert.Equal("output length 1 (candidate) vs 2 (served)", raw.Compare([1f, 2f], [1f]).Detail);
    }

    [Fact]
    public void Detection_MatchedBoxesAgree_MissingBoxOrScoreShiftDisagrees()
    {
        // A 32x32 input: grids 4x4 + 2x2 + 1x1 = 21 anchors of [x, y, log w, log h, objectness, 2 classes].
        var comparer = new DetectionComparer(32, 32);
        var served = Head((0, 0.9f, 0), (5, 0.8f, 1));

        Assert.True(comparer.Compare(served, Head((0, 0.85f, 0), (5, 0.8f, 1))).Agrees);
        var missing = comparer.Compare(served, Head((0, 0.9f, 0)));
        Assert.False(missing.Agrees);
        Assert.Equal(2.0 / 3, missing.Score, 6);
        Assert.StartsWith("1 of 2 served and 1 candidate boxes matched", missing.Detail, StringComparison.Ordinal);
        Assert.False(comparer.Compare(served, Head((0, 0.5f, 0), (5, 0.8f, 1))).Agrees);
        Assert.False(comparer.Compare(served, Head((0, 0.9f, 1), (5, 0.8f, 1))).Agrees);
        Assert.True(comparer.Compare(Head(), Head()).Agrees);
    }

    private static float[] Head(params (int Anchor, float Score, int Class)[] boxes)
    {
        const int Width = 7;
        var output = new float[21 * Width];
        foreach (var (anchor, score, @class) in boxes)
        {
            var row = output.AsSpan(anchor * Width, Width);
            row[0] = 0.5f;
            row[1] = 0.5f;
            row[2] = 0;
            row[3] = 0;
            row[4] = 1;
            row[5 + @class] = score;
        }

        return output;
    }
}
