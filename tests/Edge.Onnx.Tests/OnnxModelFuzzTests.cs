using System.Text;
using Edge.TestUtilities;

namespace Edge.Onnx.Tests;

public sealed class OnnxModelFuzzTests
{
    private const int Seed = 20261122;
    private const int MutationsPerModel = 600;

    private static readonly string[] Models =
    [
        "models/mnist/mnist.onnx",
        "models/classifiers/light/light_squeezenet.onnx",
        "models/onnx-node-tests/test_loop11/model.onnx",
        "models/onnx-node-tests/test_if/model.onnx",
        "models/mnist/lr_mnist_scikit.onnx",
    ];

    [Fact]
    [Trait(TestCategories.Category, TestCategories.LongRunning)]
    public async Task LoadAsync_RandomMutationsOfRealModels_LoadOrThrowOnnxModelExceptionOnly()
    {
        var random = new Random(Seed);
        using var folder = new TemporaryFolder();
        var options = new OnnxLoadOptions { ExternalDataDirectory = folder.Path };
        var failures = new StringBuilder();
        int loaded = 0, refused = 0, escaped = 0;
        foreach (var relative in Models)
        {
            var original = await File.ReadAllBytesAsync(TestData.File(relative));
            for (var i = 0; i < MutationsPerModel; i++)
            {
                var kind = random.Next(5);
                var mutated = Mutate(original, kind, random);
                try
                {
                    // A hang is a failure too: each case must finish within a generous bound.
                    await Task.Run(async () =>
                    {
                        using var stream = new MemoryStream(mutated, writable: false);
                        var model = await OnnxModel.LoadAsync(stream, options);
                        _ = model.GetGraph().SelfAndDescendants().Count();
                    }).WaitAsync(TimeSpan.FromSeconds(10));
                    loaded++;
                }
                catch (OnnxModelException)
                {
                    refused++;
                }
#pragma warning disable CA1031 // The test's point is to catch whatever else escapes and report it.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    escaped++;
                    failures.AppendLine($"  {relative} mutation {i} (kind {kind}, {mutated.Length} bytes): {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
                }
            }
        }

        Assert.True(escaped == 0, $"{escaped} mutations let a non-OnnxModelException escape (loaded {loaded}, refused {refused}):\n{failures}");
        Assert.Equal(Models.Length * MutationsPerModel, loaded + refused);
        Assert.True(refused > 0 && loaded > 0, $"expected both outcomes; loaded {loaded}, refused {refused}");
    }

    private static byte[] Mutate(byte[] original, int kind, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (kind)
        {
            case 0: // bit flips
                for (var n = random.Next(1, 8); n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 1: // byte overwrites
                for (var n = random.Next(1, 16); n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 2: // truncation
                return bytes[..random.Next(bytes.Length)];
            case 3: // insertion of random bytes
                {
                    var at = random.Next(bytes.Length + 1);
                    var inserted = new byte[random.Next(1, 64)];
                    random.NextBytes(inserted);
                    return [.. bytes[..at], .. inserted, .. bytes[at..]];
                }

            default: // a span duplicated in place
                {
                    var start = random.Next(bytes.Length);
                    var length = random.Next(1, Math.Min(4096, bytes.Length - start) + 1);
                    var at = random.Next(bytes.Length + 1);
                    return [.. bytes[..at], .. bytes.AsSpan(start, length), .. bytes[at..]];
                }
        }
    }
}
