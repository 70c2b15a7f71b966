using System.Text;
using System.Text.Json;
using Edge.Onnx;
using Edge.Optimizer.Inspection;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Inspection;

public sealed class ModelInspectorTests
{
    [Fact]
    public void CountOperators_EveryNodeTest_MatchesManifestOpTypes()
    {
        var root = TestData.Directory("models/onnx-node-tests");
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "manifest.json")));
        var failures = new StringBuilder();
        var checkedCount = 0;
        foreach (var testCase in manifest.RootElement.GetProperty("cases").EnumerateArray())
        {
            var name = testCase.GetProperty("test").GetString()!;
            var model = OnnxModel.Load(Path.Combine(root, name, testCase.GetProperty("model").GetString()!));
            var nodes = model.GetGraph().SelfAndDescendants().SelectMany(g => g.Proto.Node);
            var actual = ModelInspector.CountOperators(nodes).Select(o => o.OpType).Distinct().Order(StringComparer.Ordinal).ToList();
            var expected = testCase.GetProperty("op_types").EnumerateArray().Select(o => o.GetString()!).Order(StringComparer.Ordinal).ToList();
            if (!actual.SequenceEqual(expected))
            {
                failures.AppendLine($"  {name}: expected [{string.Join(", ", expected)}], counted [{string.Join(", ", actual)}]");
            }

            checkedCount++;
        }

        Assert.Equal(1802, checkedCount);
        Assert.True(failures.Length == 0, $"op types differ from the manifest:\n{failures}");
    }
}
