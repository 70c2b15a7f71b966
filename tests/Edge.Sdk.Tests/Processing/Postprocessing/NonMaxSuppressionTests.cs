using Edge.Sdk.Processing.Postprocessing;

namespace Edge.Sdk.Tests.Processing.Postprocessing;

public sealed class NonMaxSuppressionTests
{
    private static readonly NmsOptions Options = new() { IouThreshold = 0.5f, ScoreThreshold = 0.3f, MaxDetections = 10 };

    [Fact]
    public void Apply_OverlappingSameClass_KeepsOnlyHighestScore()
    {
        var candidates = new List<Detection>
        {
            new(new BoundingBox(0, 0, 10, 10), 1, 0.8f),
            new(new BoundingBox(1, 1, 11, 11), 1, 0.9f),
        };

        var kept = NonMaxSuppression.Apply(candidates, Options);

        Assert.Equal(0.9f, Assert.Single(kept).Score);
    }

    [Fact]
    public void Apply_OverlappingDifferentClass_KeepsBoth()
    {
        var candidates = new List<Detection>
        {
            new(new BoundingBox(0, 0, 10, 10), 1, 0.8f),
            new(new BoundingBox(1, 1, 11, 11), 2, 0.9f),
        };

        Assert.Equal(2, NonMaxSuppression.Apply(candidates, Options).Length);
        Assert.Single(NonMaxSuppression.Apply(candidates, Options with { ClassAware = false }));
    }

    [Fact]
    public void Apply_BelowScoreThresholdOrLowOverlap_FiltersAndKeepsOrder()
    {
        var candidates = new List<Detection>
        {
            new(new BoundingBox(0, 0, 10, 10), 0, 0.29f),
            new(new BoundingBox(0, 0, 10, 10), 0, 0.5f),
            new(new BoundingBox(6, 0, 16, 10), 0, 0.7f), // IoU with the 0.5 box is 4/16 = 0.25: kept
        };

        var kept = NonMaxSuppression.Apply(candidates, Options);

        Assert.Equal([0.7f, 0.5f], kept.Select(d => d.Score));
    }

    [Fact]
    public void Apply_MoreThanMaxDetections_Truncates()
    {
        var candidates = Enumerable.Range(0, 50).Select(i => new Detection(new BoundingBox(i * 20, 0, (i * 20) + 10, 10), 0, 0.4f + (i / 100f))).ToList();
        var kept = NonMaxSuppression.Apply(candidates, Options with { MaxDetections = 5 });
        Assert.Equal(5, kept.Length);
        Assert.Equal(0.89f, kept[0].Score, 5);
    }

    [Fact]
    public void Validate_BadOptions_ListsEveryError()
    {
        var error = Assert.Throws<ArgumentException>(() => new NmsOptions { IouThreshold = 2, ScoreThreshold = -1, MaxDetections = 0 }.Validate());
        Assert.Contains("IouThreshold is 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("ScoreThreshold is -1", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxDetections is 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IntersectionOverUnion_KnownBoxes_GivesExpectedRatio()
    {
        Assert.Equal(1f / 7, new BoundingBox(0, 0, 2, 2).IntersectionOverUnion(new BoundingBox(1, 1, 3, 3)), 5);
        Assert.Equal(0f, new BoundingBox(0, 0, 1, 1).IntersectionOverUnion(new BoundingBox(2, 2, 3, 3)));
    }
}
