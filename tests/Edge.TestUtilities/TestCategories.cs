namespace Edge.TestUtilities;

/// <summary>Trait name and value that mark a test as long-running. Such tests still run in CI.</summary>
public static class TestCategories
{
    /// <summary>The xunit trait name used for categories.</summary>
    public const string Category = "Category";

    /// <summary>Tests that take more than a few seconds, such as fuzzing; filter with <c>Category!=LongRunning</c> locally.</summary>
    public const string LongRunning = "LongRunning";

    /// <summary>Tests that need a GPU; they run only when <c>EDGE_GPU_TESTS=1</c>.</summary>
    public const string Gpu = "Gpu";
}
